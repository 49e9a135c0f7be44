package io.abrfetch.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.fetcher.FetchException;
import io.abrfetch.fetcher.hls.HlsEvent;
import io.abrfetch.fetcher.hls.TrackType;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The JSON forms of player events, and the status line's two modes. */
class PlayerEventTest {

  @Test
  void hlsEvent_becomesJson_withItsFieldsAndUnits() {
    JsonObject json = new PlayerEvent.Hls(new HlsEvent.SegmentRetrying(TrackType.VIDEO, 7, 2,
        Duration.ofMillis(1500), FetchException.Kind.TIMEOUT)).toJson();

    assertEquals("hls", json.getString("type"));
    assertEquals("SegmentRetrying", json.getString("event"));
    assertEquals("VIDEO", json.getString("track"));
    assertEquals(7L, json.getLong("mediaSequence"));
    assertEquals(1500L, json.getLong("delayMs"), "durations in milliseconds");
    assertEquals("TIMEOUT", json.getString("cause"));
  }

  @Test
  void switchAndFailure_carryTheirType() {
    JsonObject down = new PlayerEvent.Switched(3, 1, 4_000_000, 1_200_000, 17, 34_000_000)
        .toJson();
    assertEquals("switched", down.getString("type"));
    assertFalse(down.getBoolean("up"));
    assertEquals(34_000L, down.getLong("mediaStartMs"));

    PlayerEvent.Failed failed = new PlayerEvent.Failed(new IOException("disk full"));
    assertEquals("SINK", failed.kind());
    assertEquals("failed", failed.toJson().getString("type"));
    assertEquals("disk full", failed.toJson().getString("message"));
  }

  @Test
  void statusLine_rewritesOneLineOnATerminal_andPrintsPlainLinesElsewhere() {
    PlaybackClock clock = PlaybackClock.start(PlaybackClockOptions.defaults(), 0);
    clock.append(500_000, 2_000_000, 2_500_000, 3);
    PlayerStatus status = new PlayerStatus("s", "http://x/m.m3u8", clock.state(),
        clock.positionUs(), clock.bufferUs(), 3, 2_500_000, 5_100_000, clock.summary(), 2, 900);

    StringWriter terminal = new StringWriter();
    StatusLine onTerminal = new StatusLine(new PrintWriter(terminal), true);
    onTerminal.update(status);
    onTerminal.update(status);
    onTerminal.finish();
    String text = terminal.toString();
    assertTrue(text.startsWith("\r"), text);
    assertEquals(2, text.chars().filter(c -> c == '\r').count(), "rewritten in place");
    assertEquals(1, text.chars().filter(c -> c == '\n').count(), "one line, ended by finish()");
    assertTrue(terminal.toString().contains("v3  2500 kbit/s"), terminal.toString());
    assertTrue(terminal.toString().contains("estimate   5.10 Mbit/s"), terminal.toString());

    StringWriter piped = new StringWriter();
    StatusLine plain = new StatusLine(new PrintWriter(piped), false);
    plain.update(status);
    plain.update(status);
    assertFalse(piped.toString().contains("\r"));
    assertEquals(1, piped.toString().lines().count(), "at most one plain line per 5 s");
  }
}
