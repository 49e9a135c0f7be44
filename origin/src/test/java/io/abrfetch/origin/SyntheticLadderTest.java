package io.abrfetch.origin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.PoolOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The synthetic HLS ladder as a client sees it: playlists, segments, live window, AES, ranges. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SyntheticLadderTest {

  private static final long SEGMENT_NANOS = 4_000_000_000L;

  private final AtomicLong clockNanos = new AtomicLong(1_000_000_000_000L);
  private OriginServer server;
  private HttpClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.close().await();
    }
    if (server != null) {
      server.close().await();
    }
  }

  @Test
  void master_listsEveryVariantWithBandwidthAndAudioGroup(Vertx vertx) {
    start(vertx, LadderOptions.builder().audioRenditions(2).build());
    String master = text("/hls/master.m3u8");

    assertTrue(master.startsWith("#EXTM3U\n"));
    List<String> streamInfs = lines(master, "#EXT-X-STREAM-INF:");
    assertEquals(4, streamInfs.size());
    assertTrue(streamInfs.get(0).contains("AVERAGE-BANDWIDTH=" + (400_000 + 128_000)));
    assertTrue(streamInfs.stream().allMatch(line -> line.contains("AUDIO=\"audio\"")));
    assertTrue(master.contains("\nv3/index.m3u8\n"));
    assertEquals(2, lines(master, "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\"").size());
    assertTrue(master.contains("URI=\"a1/index.m3u8\""));
    assertEquals(server.baseUrl() + "/hls/master.m3u8", server.masterPlaylistUrl());
    HttpProbe.Result response = HttpProbe.get(client, server.baseUrl() + "/hls/master.m3u8").await();
    assertEquals("application/vnd.apple.mpegurl", response.header("Content-Type"));
  }

  @Test
  void vod_listsAllSegmentsWithEndList_andServesTheirPlaintext(Vertx vertx) {
    start(vertx, LadderOptions.builder().vodSegmentCount(5).build());
    String playlist = text("/hls/v1/index.m3u8");

    assertTrue(playlist.contains("#EXT-X-PLAYLIST-TYPE:VOD\n"));
    assertTrue(playlist.contains("#EXT-X-TARGETDURATION:4\n"));
    assertTrue(playlist.endsWith("#EXT-X-ENDLIST\n"));
    assertEquals(5, lines(playlist, "#EXTINF:4.000,").size());
    assertEquals(List.of("seg0.ts", "seg1.ts", "seg2.ts", "seg3.ts", "seg4.ts"), uris(playlist));
    HttpProbe.Result segment = HttpProbe.get(client, server.baseUrl() + "/hls/v1/seg3.ts").await();
    assertEquals("video/mp2t", segment.header("Content-Type"));
    assertArrayEquals(server.ladder().segmentPlaintext(1, 3), segment.body());
    assertEquals(404, HttpProbe.get(client, server.baseUrl() + "/hls/v1/seg5.ts").await().status());
    assertEquals(404, HttpProbe.get(client, server.baseUrl() + "/hls/v9/index.m3u8").await().status());
  }

  @Test
  void segmentSizes_matchBitrateTimesDurationWithinTheJitter() {
    SyntheticLadder ladder = new SyntheticLadder(LadderOptions.defaults(), 1, clockNanos::get, 0);
    long total = 0;
    for (long sequence = 0; sequence < 30; sequence++) {
      int size = ladder.segmentPlaintext(2, sequence).length;
      // 2.5 Mbit/s x 4 s / 8 = 1.25 MB, +-10 %.
      assertTrue(size >= 1_125_000 && size <= 1_375_000, "segment " + sequence + ": " + size);
      total += size;
    }
    assertEquals(1_250_000, total / 30.0, 1_250_000 * 0.05);
  }

  @Test
  void segments_areDeterministicPerSeedAndDifferAcrossSegments() {
    SyntheticLadder a = new SyntheticLadder(LadderOptions.defaults(), 1, clockNanos::get, 0);
    SyntheticLadder same = new SyntheticLadder(LadderOptions.defaults(), 1, clockNanos::get, 0);
    SyntheticLadder other = new SyntheticLadder(LadderOptions.defaults(), 2, clockNanos::get, 0);

    assertArrayEquals(a.segmentPlaintext(0, 4), same.segmentPlaintext(0, 4));
    assertFalse(Arrays.equals(a.segmentPlaintext(0, 4), other.segmentPlaintext(0, 4)));
    assertFalse(Arrays.equals(a.segmentPlaintext(0, 4), a.segmentPlaintext(0, 5)));
  }

  @Test
  void live_windowAdvancesWithTheInjectedClock(Vertx vertx) {
    start(vertx, LadderOptions.builder().live(true).windowSegments(3).build());

    String atStart = text("/hls/v0/index.m3u8");
    assertTrue(atStart.contains("#EXT-X-MEDIA-SEQUENCE:0\n"));
    assertFalse(atStart.contains("#EXT-X-ENDLIST"));
    assertEquals(List.of("seg0.ts", "seg1.ts", "seg2.ts"), uris(atStart));
    assertEquals(404, HttpProbe.get(client, server.baseUrl() + "/hls/v0/seg3.ts").await().status());

    clockNanos.addAndGet(SEGMENT_NANOS - 1);
    assertTrue(text("/hls/v0/index.m3u8").contains("#EXT-X-MEDIA-SEQUENCE:0\n"));

    clockNanos.addAndGet(1 + 2 * SEGMENT_NANOS);
    String later = text("/hls/v0/index.m3u8");
    assertTrue(later.contains("#EXT-X-MEDIA-SEQUENCE:3\n"));
    assertEquals(List.of("seg3.ts", "seg4.ts", "seg5.ts"), uris(later));
    HttpProbe.Result newest = HttpProbe.get(client, server.baseUrl() + "/hls/v0/seg5.ts").await();
    assertArrayEquals(server.ladder().segmentPlaintext(0, 5), newest.body());
  }

  @Test
  void aes128_segmentsDecryptWithTheServedKeyAndSequenceIv(Vertx vertx) throws Exception {
    start(vertx, LadderOptions.builder().aes128(true).keyRotationSegments(2).vodSegmentCount(4)
        .build());
    String playlist = text("/hls/v2/index.m3u8");

    assertEquals(2, lines(playlist, "#EXT-X-KEY:METHOD=AES-128,URI=\"key").size());
    byte[] key0 = HttpProbe.get(client, server.baseUrl() + "/hls/v2/key0.key").await().body();
    byte[] key1 = HttpProbe.get(client, server.baseUrl() + "/hls/v2/key1.key").await().body();
    assertEquals(16, key0.length);
    assertFalse(Arrays.equals(key0, key1));
    for (long sequence = 0; sequence < 4; sequence++) {
      byte[] ciphertext =
          HttpProbe.get(client, server.baseUrl() + "/hls/v2/seg" + sequence + ".ts").await().body();
      byte[] key = sequence < 2 ? key0 : key1;
      assertFalse(Arrays.equals(server.ladder().segmentPlaintext(2, sequence), ciphertext));
      assertArrayEquals(server.ladder().segmentPlaintext(2, sequence), decrypt(key, sequence, ciphertext),
          "segment " + sequence);
    }
    assertEquals(404, HttpProbe.get(client, server.baseUrl() + "/hls/v2/key2.key").await().status());
  }

  @Test
  void byteRange_oneFilePerTrackAddressedByByteRanges(Vertx vertx) {
    start(vertx, LadderOptions.builder().byteRange(true).vodSegmentCount(4).aes128(true).build());
    String playlist = text("/hls/v0/index.m3u8");

    assertTrue(playlist.contains("#EXT-X-VERSION:4\n"));
    List<String> ranges = lines(playlist, "#EXT-X-BYTERANGE:");
    assertEquals(4, ranges.size());
    assertEquals(List.of("media.ts", "media.ts", "media.ts", "media.ts"), uris(playlist));
    long expectedOffset = 0;
    for (int sequence = 0; sequence < 4; sequence++) {
      String[] lengthAtOffset = ranges.get(sequence).substring("#EXT-X-BYTERANGE:".length()).split("@");
      long length = Long.parseLong(lengthAtOffset[0]);
      long offset = Long.parseLong(lengthAtOffset[1]);
      assertEquals(expectedOffset, offset);
      HttpProbe.Result part = HttpProbe.get(client, server.baseUrl() + "/hls/v0/media.ts",
          Map.of("Range", "bytes=" + offset + "-" + (offset + length - 1))).await();
      assertEquals(206, part.status());
      assertArrayEquals(server.ladder().segmentAsServed(0, sequence), part.body());
      expectedOffset += length;
    }
    HttpProbe.Result whole = HttpProbe.get(client, server.baseUrl() + "/hls/v0/media.ts").await();
    assertEquals(expectedOffset, whole.body().length);
  }

  @Test
  void liveByteRangeAes_theFileGrowsAndRangesStayValid(Vertx vertx) throws Exception {
    start(vertx, LadderOptions.builder().live(true).windowSegments(2).byteRange(true).aes128(true)
        .keyRotationSegments(3).build());
    clockNanos.addAndGet(3 * SEGMENT_NANOS);
    String playlist = text("/hls/v1/index.m3u8");

    assertTrue(playlist.contains("#EXT-X-MEDIA-SEQUENCE:3\n"));
    assertEquals(List.of("#EXT-X-KEY:METHOD=AES-128,URI=\"key1.key\""),
        lines(playlist, "#EXT-X-KEY"));
    String[] range = lines(playlist, "#EXT-X-BYTERANGE:").get(1).substring(17).split("@");
    long length = Long.parseLong(range[0]);
    long offset = Long.parseLong(range[1]);
    HttpProbe.Result segment = HttpProbe.get(client, server.baseUrl() + "/hls/v1/media.ts",
        Map.of("Range", "bytes=" + offset + "-" + (offset + length - 1))).await();
    byte[] key = HttpProbe.get(client, server.baseUrl() + "/hls/v1/key1.key").await().body();
    assertArrayEquals(server.ladder().key(1, 4), key);
    assertArrayEquals(server.ladder().segmentPlaintext(1, 4), decrypt(key, 4, segment.body()));
    HttpProbe.Result whole = HttpProbe.get(client, server.baseUrl() + "/hls/v1/media.ts",
        Map.of("Range", "bytes=0-0")).await();
    assertEquals("bytes 0-0/" + (offset + length), whole.header("Content-Range"));
  }

  @Test
  void initSegments_declaredByMapAndServedUnencrypted(Vertx vertx) {
    start(vertx, LadderOptions.builder().initSegments(true).aes128(true).vodSegmentCount(2).build());
    String playlist = text("/hls/v0/index.m3u8");

    assertTrue(playlist.indexOf("#EXT-X-MAP:URI=\"init.mp4\"") < playlist.indexOf("#EXT-X-KEY"));
    assertEquals(List.of("seg0.m4s", "seg1.m4s"), uris(playlist));
    HttpProbe.Result init = HttpProbe.get(client, server.baseUrl() + "/hls/v0/init.mp4").await();
    assertEquals("video/mp4", init.header("Content-Type"));
    assertArrayEquals(server.ladder().initSegment(0), init.body());
    HttpProbe.Result segment = HttpProbe.get(client, server.baseUrl() + "/hls/v0/seg1.m4s").await();
    assertEquals("video/iso.segment", segment.header("Content-Type"));
  }

  @Test
  void audioRendition_servesItsOwnPlaylistAndSegments(Vertx vertx) {
    start(vertx, LadderOptions.builder().audioRenditions(1).vodSegmentCount(3).build());
    String playlist = text("/hls/a0/index.m3u8");

    assertEquals(List.of("seg0.aac", "seg1.aac", "seg2.aac"), uris(playlist));
    HttpProbe.Result segment = HttpProbe.get(client, server.baseUrl() + "/hls/a0/seg1.aac").await();
    assertArrayEquals(server.ladder().audioSegmentPlaintext(0, 1), segment.body());
    // 128 kbit/s x 4 s / 8 = 64 kB, +-10 %.
    assertEquals(64_000, segment.body().length, 6_400);
    assertNotEquals(0, segment.body().length);
  }

  @Test
  void options_rejectBadLadders() {
    assertThrows(IllegalArgumentException.class,
        () -> LadderOptions.builder().bitratesBps(List.of()).build());
    assertThrows(IllegalArgumentException.class,
        () -> LadderOptions.builder().bitratesBps(List.of(800_000L, 400_000L)).build());
    assertThrows(IllegalArgumentException.class,
        () -> LadderOptions.builder().segmentDurationUs(0).build());
    assertThrows(IllegalArgumentException.class,
        () -> LadderOptions.builder().windowSegments(0).build());
  }

  private void start(Vertx vertx, LadderOptions ladder) {
    server = OriginServer.start(vertx,
        OriginOptions.builder().ladder(ladder).nanoClock(clockNanos::get).build()).await();
    client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(4));
  }

  private String text(String path) {
    HttpProbe.Result result = HttpProbe.get(client, server.baseUrl() + path).await();
    assertEquals(200, result.status(), path);
    return new String(result.body(), StandardCharsets.UTF_8);
  }

  private static List<String> lines(String playlist, String prefix) {
    return playlist.lines().filter(line -> line.startsWith(prefix)).toList();
  }

  private static List<String> uris(String playlist) {
    List<String> uris = new ArrayList<>();
    for (String line : playlist.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        uris.add(line);
      }
    }
    return uris;
  }

  private static byte[] decrypt(byte[] key, long sequence, byte[] ciphertext) throws Exception {
    Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
    byte[] iv = new byte[16];
    for (int i = 0; i < 8; i++) {
      iv[15 - i] = (byte) (sequence >>> (8 * i));
    }
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
    return cipher.doFinal(ciphertext);
  }
}
