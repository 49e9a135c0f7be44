package io.abrfetch.abr.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceSimulatorTest {

  private static ChunkSizes constantSizes(long sizeBytes) {
    long[][] sizes = new long[6][49];
    for (long[] quality : sizes) {
      Arrays.fill(quality, sizeBytes);
    }
    return ChunkSizes.of(sizes);
  }

  @Test
  void firstChunk_usesSecondSampleRate_addsRttOnce_andCountsWholeDelayAsStartupStall() {
    // 8 Mbit/s = 1e6 B/s, 95% payload: 500 kB take 500000 / 1e6 / 0.95 s.
    Trace trace = Trace.of("t", new double[] {0, 1, 2, 3}, new double[] {0.1, 8, 8, 8});
    TraceSimulator simulator = new TraceSimulator(trace, constantSizes(500_000));

    TraceSimulator.ChunkDownload chunk = simulator.download(1);

    double expectedDelayMs = 500_000 / 1e6 / 0.95 * 1000 + 80;
    assertEquals(expectedDelayMs, chunk.delayMs(), 1e-9);
    assertEquals(expectedDelayMs, chunk.rebufferMs(), 1e-9);
    assertEquals(4000, chunk.bufferMs(), 1e-9);
    assertEquals(47, chunk.chunksRemaining());
  }

  @Test
  void wrapAround_restartsAtTimeZero_notAtTheFirstSampleTime() {
    // First pass: [0.5, 1.0] at 1e6 B/s carries 475 kB; after the wrap the interval is [0, 1.0].
    Trace trace = Trace.of("t", new double[] {0.5, 1.0}, new double[] {8, 8});
    TraceSimulator simulator = new TraceSimulator(trace, constantSizes(1_000_000));

    TraceSimulator.ChunkDownload chunk = simulator.download(0);

    double expectedS = 0.5 + (1_000_000 - 475_000.0) / 1e6 / 0.95;
    assertEquals(expectedS * 1000 + 80, chunk.delayMs(), 1e-6);
  }

  @Test
  void bufferOverSixtySeconds_isSleptOffInHalfSecondQuanta() {
    Trace trace = Trace.of("t", new double[] {0, 1000}, new double[] {0, 1000});
    TraceSimulator simulator = new TraceSimulator(trace, constantSizes(1000));
    TraceSimulator.ChunkDownload chunk = null;
    boolean slept = false;
    for (int k = 0; k < 20; k++) {
      chunk = simulator.download(0);
      if (chunk.sleepMs() > 0) {
        slept = true;
        assertEquals(0, chunk.sleepMs() % 500, "sleep is a multiple of 500 ms");
        assertTrue(chunk.bufferMs() > 59_500 && chunk.bufferMs() <= 60_000, "buffer after sleep");
      }
    }
    assertTrue(slept, "a fast link fills the buffer past 60 s within 20 chunks");
  }

  @Test
  void downloadAfterTheLastChunk_isRejected() {
    Trace trace = Trace.of("t", new double[] {0, 1}, new double[] {0, 100});
    TraceSimulator simulator = new TraceSimulator(trace, constantSizes(1000));
    for (int k = 0; k < TraceSimulator.TOTAL_CHUNKS; k++) {
      assertEquals(k == TraceSimulator.TOTAL_CHUNKS - 1, simulator.download(0).endOfVideo());
    }
    assertThrows(IllegalStateException.class, () -> simulator.download(0));
  }

  @Test
  void traceFile_withCrLfAndTabs_parses_andBadLinesNameTheLine(@TempDir Path dir)
      throws IOException {
    Path good = dir.resolve("good");
    Files.writeString(good, "0.0\t1.5\r\n1.0 2.5\r\n\r\n2.0   3.5\r\n");
    Trace trace = Trace.load(good);
    assertEquals(3, trace.size());
    assertEquals(2.5, trace.throughputMbps(1));

    Path bad = dir.resolve("bad");
    Files.writeString(bad, "0.0 1.0\n1.0 fast\n");
    TraceException error = assertThrows(TraceException.class, () -> Trace.load(bad));
    assertEquals(TraceException.Kind.MALFORMED_LINE, error.kind());
    assertEquals(2, error.line());

    Path backwards = dir.resolve("backwards");
    Files.writeString(backwards, "1.0 1.0\n0.5 1.0\n");
    assertEquals(TraceException.Kind.OUT_OF_RANGE,
        assertThrows(TraceException.class, () -> Trace.load(backwards)).kind());
  }
}
