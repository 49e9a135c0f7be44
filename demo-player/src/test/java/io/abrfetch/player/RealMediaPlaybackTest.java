package io.abrfetch.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.abrfetch.origin.LinkShaping;
import io.abrfetch.origin.OriginOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real media: an ffmpeg-made HLS ladder (two variants of lavfi testsrc + sine, 2 s segments,
 * 16 s) in MPEG-TS and in fMP4, each clear and AES-128, served from a directory by the origin over
 * a shaped link; {@code play --output} writes what it played, and ffprobe/ffmpeg must read and
 * decode the file with a duration within one segment of the time played. Skipped without ffmpeg
 * and ffprobe.
 *
 * <p>The variants share one resolution (320x180) at 150 and 900 kbit/s: an fMP4 file that
 * concatenates two init sections is read with the first one (ffmpeg skips a second moov), so the
 * switch must not change the decoder configuration. ffmpeg 5.1 refuses to encrypt fMP4, so the
 * encrypted fMP4 ladder is encrypted here as HLS specifies (whole segments, AES-128-CBC, PKCS#7,
 * IV = media sequence number; the init section stays clear).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RealMediaPlaybackTest extends PlayerTestBase {
  private static final long SEGMENT_US = 2_000_000;
  private static final int SECONDS = 16;
  private static final int[] VIDEO_KBPS = {150, 900};

  @TempDir static Path sources;

  @BeforeAll
  static void encodeSources() throws Exception {
    assumeTrue(runs("ffmpeg", "-version") && runs("ffprobe", "-version"),
        "ffmpeg and ffprobe are not both installed: skipping the real-media playback test"
            + " (apt-get install -y ffmpeg to run it)");
    for (int v = 0; v < VIDEO_KBPS.length; v++) {
      ffmpeg(List.of("-f", "lavfi", "-i", "testsrc=size=320x180:rate=25", "-f", "lavfi", "-i",
          "sine=frequency=440:sample_rate=44100", "-t", Integer.toString(SECONDS),
          "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
          "-b:v", VIDEO_KBPS[v] + "k", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
          "-c:a", "aac", "-b:a", "64k", sources.resolve("v" + v + ".mp4").toString()));
    }
  }

  @ParameterizedTest(name = "{0}, aes128={1}")
  @CsvSource({"ts,false", "ts,true", "fmp4,false", "fmp4,true"})
  void ladder_playsWithASwitch_andTheOutputDecodes(String container, boolean aes, @TempDir Path dir)
      throws Exception {
    Path site = dir.resolve("site");
    Files.createDirectories(site);
    writeLadder(site, container.equals("fmp4"), aes);
    // 8 Mbit/s: the ladder starts on the 1 Mbit/s default estimate at the bottom and climbs once
    // the link is measured.
    startOrigin(OriginOptions.builder().directory(site)
        .shaping(LinkShaping.fixedRate(8_000_000, LinkShaping.Scope.SHARED)));
    Path out = dir.resolve(container.equals("fmp4") ? "out.mp4" : "out.ts");

    CommandRun run = CommandRun.of("play", origin.baseUrl() + "/master.m3u8", "--output",
        out.toString(), "--rate", "4", "--json", "--policy", "throughput");

    assertEquals(0, run.exitCode(), run.toString());
    JsonObject json = new JsonObject(run.out().strip());
    assertEquals("end-of-stream", json.getString("endReason"));
    assertTrue(json.getInteger("switches") >= 1, "no switch: " + json.encode());
    double playedS = json.getLong("playedMs") / 1e3;
    assertEquals(SECONDS, playedS, SEGMENT_US / 1e6, json.encode());

    Result probe = exec(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration",
        "-of", "csv=p=0", out.toString()));
    assertEquals(0, probe.exitCode(), probe.output());
    double durationS = Double.parseDouble(probe.output().strip().lines().findFirst()
        .orElseThrow());
    assertEquals(playedS, durationS, SEGMENT_US / 1e6,
        "output duration against the time played; ffprobe said " + probe.output());

    Result decode = exec(List.of("ffmpeg", "-hide_banner", "-v", "error", "-i", out.toString(),
        "-f", "null", "-"));
    assertEquals(0, decode.exitCode(), decode.output());
    assertEquals("", decode.output().strip(), "decode errors");
  }

  /** Two variants under v0/ and v1/, a master playlist, the key at key.key when encrypted. */
  private static void writeLadder(Path site, boolean fmp4, boolean aes) throws Exception {
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    Path keyFile = site.resolve("key.key");
    Path keyInfo = site.getParent().resolve("keyinfo.txt");
    if (aes) {
      Files.write(keyFile, key);
      Files.writeString(keyInfo, "../key.key\n" + keyFile + "\n");
    }
    StringBuilder master = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n");
    for (int v = 0; v < VIDEO_KBPS.length; v++) {
      Path variant = site.resolve("v" + v);
      Files.createDirectories(variant);
      List<String> args = new ArrayList<>(List.of("-i", sources.resolve("v" + v + ".mp4")
          .toString(), "-c", "copy", "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod"));
      if (fmp4) {
        args.addAll(List.of("-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
            "-hls_segment_filename", variant.resolve("seg%d.m4s").toString()));
      } else {
        args.addAll(List.of("-hls_segment_filename", variant.resolve("seg%d.ts").toString()));
        if (aes) {
          args.addAll(List.of("-hls_key_info_file", keyInfo.toString()));
        }
      }
      args.add(variant.resolve("index.m3u8").toString());
      ffmpeg(args);
      if (fmp4 && aes) {
        encryptFmp4(variant, key);
      }
      long bandwidthBps = (VIDEO_KBPS[v] + 64) * 1_000L * 13 / 10;
      master.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(bandwidthBps)
          .append(",RESOLUTION=320x180\nv").append(v).append("/index.m3u8\n");
    }
    Files.writeString(site.resolve("master.m3u8"), master.toString());
  }

  /** Encrypts every media segment of an fMP4 playlist in place and declares the key after the map. */
  private static void encryptFmp4(Path variant, byte[] key) throws Exception {
    Path playlist = variant.resolve("index.m3u8");
    List<String> lines = Files.readAllLines(playlist, StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    long sequence = 0;
    for (String line : lines) {
      out.add(line);
      if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
        sequence = Long.parseLong(line.substring("#EXT-X-MEDIA-SEQUENCE:".length()).strip());
      }
      if (line.startsWith("#EXT-X-MAP:")) {
        out.add("#EXT-X-KEY:METHOD=AES-128,URI=\"../key.key\"");
      }
      if (!line.isEmpty() && !line.startsWith("#")) {
        Path segment = variant.resolve(line);
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"),
            new IvParameterSpec(ByteBuffer.allocate(16).putLong(8, sequence).array()));
        Files.write(segment, cipher.doFinal(Files.readAllBytes(segment)));
        sequence++;
      }
    }
    Files.write(playlist, out, StandardCharsets.UTF_8);
  }

  private record Result(int exitCode, String output) {}

  private static void ffmpeg(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-v", "error",
        "-y"));
    command.addAll(args);
    Result result = exec(command);
    assertEquals(0, result.exitCode(), "ffmpeg " + args + ":\n" + result.output());
  }

  private static Result exec(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish in 60 s");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  private static boolean runs(String... command) throws InterruptedException {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
