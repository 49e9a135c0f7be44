package io.abrfetch.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.OriginOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The headless player end to end against a real synthetic origin, faster than real time. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeadlessPlayerTest extends PlayerTestBase {

  @Test
  void vod_playsToTheEnd_withAudio_andScoresEveryChunk() throws Exception {
    startOrigin(OriginOptions.builder().ladder(smallLadder().build()));
    startDownloader();
    HeadlessPlayer player = play(origin.masterPlaylistUrl(), fastOptions(4).build(),
        MediaSink.discard());
    PlayerResult result = await(player.result());

    assertEquals(PlayerResult.END_OF_STREAM, result.endReason());
    assertEquals(8_000_000, result.playedUs(), "every second of the 8 s stream played");
    assertEquals(16, result.segments(), "8 video and 8 audio segments");
    assertEquals(8, result.chunks().size());
    assertEquals(8, result.qoe().chunks());
    assertTrue(result.qoe().hasStarted());
    assertEquals(PlaybackState.ENDED, result.qoe().state());
    assertInstanceOf(PlayerEvent.Started.class, events(PlayerEvent.Started.class).get(0));
    assertInstanceOf(PlayerEvent.Ended.class, events.get(events.size() - 1));
    assertEquals(PlaybackState.ENDED, player.status().state());
    assertEquals(result.toJson().getJsonArray("qoePerChunk").size(), 8);
  }
}
