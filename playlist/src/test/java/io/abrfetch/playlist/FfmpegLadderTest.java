package io.abrfetch.playlist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real ffmpeg output: a 3-variant ladder of MPEG-TS segments, then of fMP4 in one file per variant
 * with byte ranges; every segment is checked against the files ffmpeg wrote. Skipped when ffmpeg
 * is not installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FfmpegLadderTest {

  private static final String SCALE_THREE =
      "[0:v]split=3[a][b][c];[a]scale=160:90[a2];[b]scale=240:136[b2]";

  private final PlaylistParser parser = new PlaylistParser();

  @BeforeAll
  static void requireFfmpeg() {
    boolean present;
    try {
      Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      present = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      present = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      present = false;
    }
    assumeTrue(present, "ffmpeg is not installed (apt-get install ffmpeg): skipping the real-output test");
  }

  private static void ffmpeg(Path dir, String... hlsArgs) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25", "-t", "4",
        "-filter_complex", SCALE_THREE, "-map", "[a2]", "-map", "[b2]", "-map", "[c]",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-sc_threshold", "0",
        "-b:v:0", "100k", "-b:v:1", "200k", "-b:v:2", "400k",
        "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod",
        "-master_pl_name", "master.m3u8", "-var_stream_map", "v:0 v:1 v:2"));
    command.addAll(List.of(hlsArgs));
    command.add("v%v/index.m3u8");
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(90, TimeUnit.SECONDS), "ffmpeg timed out");
    assertEquals(0, process.exitValue(), "ffmpeg failed: " + output);
  }

  private MasterPlaylist parseMaster(Path dir) throws IOException {
    Path master = dir.resolve("master.m3u8");
    return parser.parseMaster(master.toUri(), Files.readAllBytes(master));
  }

  private MediaPlaylist parseVariant(Variant variant) throws IOException {
    Path path = Path.of(variant.uri());
    return parser.parseMedia(variant.uri(), Files.readAllBytes(path));
  }

  @Test
  void tsLadder_everySegmentFileExists_andLadderIsSortedByBitrate(@TempDir Path dir) throws Exception {
    ffmpeg(dir, "-hls_segment_filename", "v%v/seg%03d.ts");
    MasterPlaylist master = parseMaster(dir);
    VariantLadder ladder = master.ladder();
    assertEquals(3, ladder.size());
    assertEquals(new Resolution(160, 90), ladder.lowest().resolution());
    assertEquals(new Resolution(320, 180), ladder.highest().resolution());
    for (int i = 1; i < ladder.size(); i++) {
      assertTrue(ladder.bitrateBps(i - 1) < ladder.bitrateBps(i), "ladder order");
    }
    for (Variant variant : ladder.variants()) {
      MediaPlaylist media = parseVariant(variant);
      assertTrue(media.hasEndList());
      assertEquals(MediaPlaylist.PlaylistType.VOD, media.playlistType());
      assertTrue(media.segments().size() >= 3, "segments: " + media.segments().size());
      assertTrue(Math.abs(media.totalDurationUs() - 4_000_000) <= 100_000,
          "total duration " + media.totalDurationUs());
      for (Segment segment : media.segments()) {
        assertNull(segment.byteRange());
        Path file = Path.of(segment.uri());
        assertTrue(Files.size(file) > 0, file + " is empty");
        assertEquals(dir.resolve(Path.of(variant.uri()).getParent().getFileName()), file.getParent());
      }
    }
  }

  @Test
  void fmp4SingleFileLadder_byteRangesAreContiguous_andEndAtFileSize(@TempDir Path dir) throws Exception {
    ffmpeg(dir, "-hls_segment_type", "fmp4", "-hls_flags", "single_file");
    MasterPlaylist master = parseMaster(dir);
    assertEquals(3, master.variants().size());
    for (Variant variant : master.ladder().variants()) {
      MediaPlaylist media = parseVariant(variant);
      Map<URI, Long> nextOffsetByFile = new HashMap<>();
      for (Segment segment : media.segments()) {
        SegmentMap map = segment.map();
        assertNotNull(map, "fMP4 segments need an EXT-X-MAP");
        assertEquals(segment.uri(), map.uri(), "init section in the same single file");
        assertEquals(0, map.byteRange().offsetBytes());
        nextOffsetByFile.putIfAbsent(segment.uri(), map.byteRange().endBytes());
        ByteRange range = segment.byteRange();
        assertNotNull(range, "single_file segments are byte ranges");
        assertEquals(nextOffsetByFile.get(segment.uri()), range.offsetBytes(),
            "segment " + segment.mediaSequence() + " starts where the previous range ended");
        nextOffsetByFile.put(segment.uri(), range.endBytes());
      }
      assertEquals(1, nextOffsetByFile.size(), "one file per variant");
      for (Map.Entry<URI, Long> file : nextOffsetByFile.entrySet()) {
        assertEquals(Files.size(Path.of(file.getKey())), file.getValue(),
            "the last range ends at the size of " + file.getKey());
      }
    }
  }
}
