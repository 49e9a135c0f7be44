package io.abrfetch.origin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.PoolOptions;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Serving a directory: media types, validators, ranges, and refusing to leave the directory. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DirectoryServingTest {

  @TempDir Path temp;
  private Path root;
  private OriginServer server;
  private HttpClient client;

  @BeforeEach
  void start(Vertx vertx) throws IOException {
    root = Files.createDirectory(temp.resolve("www"));
    Files.writeString(temp.resolve("secret.txt"), "outside the root");
    Files.writeString(root.resolve("index.m3u8"), "#EXTM3U\n");
    Files.write(root.resolve("seg0.ts"), SyntheticContent.bytes("/seg0.ts", 0, 100_000));
    Files.write(root.resolve("init.mp4"), new byte[] {1, 2, 3});
    Files.write(root.resolve("seg1.m4s"), new byte[] {4, 5});
    Files.write(root.resolve("k.key"), new byte[16]);
    Files.createDirectory(root.resolve("sub"));
    Files.writeString(root.resolve("sub/a file.ts"), "spaced");
    Files.createSymbolicLink(root.resolve("escape.txt"), temp.resolve("secret.txt"));
    server = OriginServer.start(vertx, OriginOptions.builder().directory(root).build()).await();
    client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(2));
  }

  @AfterEach
  void stop() {
    client.close().await();
    server.close().await();
  }

  @Test
  void servesFilesWithHlsMediaTypes() {
    assertEquals("application/vnd.apple.mpegurl", get("/index.m3u8").header("Content-Type"));
    assertEquals("video/mp2t", get("/seg0.ts").header("Content-Type"));
    assertEquals("video/mp4", get("/init.mp4").header("Content-Type"));
    assertEquals("video/iso.segment", get("/seg1.m4s").header("Content-Type"));
    assertEquals("application/octet-stream", get("/k.key").header("Content-Type"));
    assertArrayEquals("spaced".getBytes(StandardCharsets.UTF_8), get("/sub/a%20file.ts").body());
  }

  @Test
  void etagFollowsSizeAndModificationTime() throws IOException {
    Path file = root.resolve("seg0.ts");
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L));
    HttpProbe.Result before = get("/seg0.ts");
    assertEquals("\"" + Long.toHexString(100_000) + "-" + Long.toHexString(1_700_000_000_000L) + "\"",
        before.header("ETag"));
    assertTrue(before.header("Last-Modified").endsWith("GMT"));

    Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_001_000L));
    assertNotEquals(before.header("ETag"), get("/seg0.ts").header("ETag"));
  }

  @Test
  void rangesWorkOnFiles() {
    HttpProbe.Result part = HttpProbe.get(client, server.baseUrl() + "/seg0.ts",
        Map.of("Range", "bytes=40000-79999")).await();
    assertEquals(206, part.status());
    assertArrayEquals(SyntheticContent.bytes("/seg0.ts", 40_000, 40_000), part.body());
    assertArrayEquals(SyntheticContent.bytes("/seg0.ts", 0, 100_000), get("/seg0.ts").body());
  }

  @Test
  void missingFilesAndDirectoriesAreNotFound() {
    assertEquals(404, get("/nope.ts").status());
    assertEquals(404, get("/sub").status());
    assertEquals(404, get("/").status());
  }

  @Test
  void pathTraversalIsRejected() throws IOException {
    assertEquals(400, rawStatus("/../secret.txt"));
    assertEquals(400, rawStatus("/sub/../../secret.txt"));
    assertEquals(400, rawStatus("/%2e%2e/secret.txt"));
    assertEquals(400, rawStatus("/..%2fsecret.txt"));
    assertEquals(400, rawStatus("/escape.txt"));
    assertEquals(400, rawStatus("/bad%zz"));
    assertEquals(200, rawStatus("/index.m3u8"));
  }

  @Test
  void missingDirectoryFailsTheStartWithATypedError(Vertx vertx) {
    OriginOptions options = OriginOptions.builder().directory(temp.resolve("absent")).build();
    OriginException error = assertThrows(OriginException.class,
        () -> OriginServer.start(vertx, options).await());
    assertEquals(OriginException.Kind.DIRECTORY, error.kind());
  }

  private HttpProbe.Result get(String path) {
    return HttpProbe.get(client, server.baseUrl() + path).await();
  }

  /** Sends the path byte for byte (clients would normalise dot segments away). */
  private int rawStatus(String rawPath) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write(("GET " + rawPath + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(head.substring(9, 12));
    }
  }
}
