package io.abrfetch.origin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Serves a real ffmpeg-generated fMP4 HLS stream from a directory; skipped without ffmpeg. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FfmpegLadderTest {

  @Test
  void servesAnFfmpegStreamByteForByte(Vertx vertx, @TempDir Path dir) throws Exception {
    assumeTrue(ffmpegGenerates(dir), "ffmpeg not found or failed: skipping the real-media test");
    OriginServer server =
        OriginServer.start(vertx, OriginOptions.builder().directory(dir).build()).await();
    HttpClient client = vertx.createHttpClient();
    try {
      HttpProbe.Result playlist = HttpProbe.get(client, server.baseUrl() + "/index.m3u8").await();
      assertEquals("application/vnd.apple.mpegurl", playlist.header("Content-Type"));
      List<String> uris = new String(playlist.body(), StandardCharsets.UTF_8).lines()
          .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
      assertFalse(uris.isEmpty());
      for (String uri : uris) {
        HttpProbe.Result segment = HttpProbe.get(client, server.baseUrl() + "/" + uri).await();
        assertEquals("video/iso.segment", segment.header("Content-Type"), uri);
        assertArrayEquals(Files.readAllBytes(dir.resolve(uri)), segment.body(), uri);
      }
      HttpProbe.Result init = HttpProbe.get(client, server.baseUrl() + "/init.mp4",
          Map.of("Range", "bytes=4-7")).await();
      assertEquals(206, init.status());
      // Every MP4 starts with an 'ftyp' box: its type sits at bytes 4..7.
      assertEquals("ftyp", new String(init.body(), StandardCharsets.US_ASCII));
    } finally {
      client.close().await();
      server.close().await();
    }
  }

  private static boolean ffmpegGenerates(Path dir) throws InterruptedException {
    try {
      Process process = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error",
          "-f", "lavfi", "-i", "testsrc=size=160x90:rate=10", "-t", "2", "-c:v", "libx264",
          "-preset", "ultrafast", "-g", "10", "-f", "hls", "-hls_time", "1",
          "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
          "-hls_segment_filename", dir.resolve("seg%d.m4s").toString(),
          dir.resolve("index.m3u8").toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0 && Files.exists(dir.resolve("index.m3u8"));
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
