package io.abrfetch.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Parsing and replay arithmetic of {@link BandwidthTrace}, and {@link FixedRate}. */
class BandwidthTraceTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void parse_acceptsTabsSpacesCrLfAndBlankLines() {
    BandwidthTrace trace = BandwidthTrace.parse("t", "0.0\t2.5\r\n1.0  4\r\n\r\n2.0 1e0\n");
    assertEquals(3, trace.sampleCount());
    assertEquals(2.0, trace.periodS());
    assertEquals(4_000_000, trace.rateBpsAt(SECOND / 2));
    assertEquals(1_000_000, trace.rateBpsAt(SECOND + SECOND / 2));
  }

  @Test
  void parse_rejectsMalformedInputWithTheLineNumber() {
    OriginException notNumbers = assertThrows(OriginException.class,
        () -> BandwidthTrace.parse("t", "0 1\n1 x\n"));
    assertEquals(OriginException.Kind.TRACE_FORMAT, notNumbers.kind());
    assertEquals(true, notNumbers.getMessage().contains("line 2"));
    assertThrows(OriginException.class, () -> BandwidthTrace.parse("t", "0 1\n0 2\n"));
    assertThrows(OriginException.class, () -> BandwidthTrace.parse("t", "0 1 2\n1 2\n"));
    assertThrows(OriginException.class, () -> BandwidthTrace.parse("t", "0 1\n1 -2\n"));
    assertThrows(OriginException.class, () -> BandwidthTrace.parse("t", "0 1\n"));
    assertThrows(OriginException.class, () -> BandwidthTrace.parse("t", "0 5\n1 0\n2 0\n"));
    assertThrows(OriginException.class, () -> BandwidthTrace.load(Path.of("/no/such/trace")));
  }

  @Test
  void transmitEnd_withinOneInterval() {
    BandwidthTrace trace = BandwidthTrace.of(new double[] {0, 10}, new double[] {0, 8});
    // 1 MB at 8 Mbit/s = 1 s.
    assertEquals(SECOND, trace.transmitEndNanos(0, 1_000_000), 1_000);
    assertEquals(3 * SECOND, trace.transmitEndNanos(2 * SECOND, 1_000_000), 1_000);
  }

  @Test
  void transmitEnd_crossesIntervalsAndSkipsZeroThroughput() {
    // (0,1] 8 Mbit/s, (1,2] nothing, (2,3] 16 Mbit/s.
    BandwidthTrace trace = BandwidthTrace.of(new double[] {0, 1, 2, 3}, new double[] {0, 8, 0, 16});
    // 1 MB in the first second, nothing in the second, 1 MB in half of the third.
    assertEquals(2 * SECOND + SECOND / 2, trace.transmitEndNanos(0, 2_000_000), 1_000);
  }

  @Test
  void transmitEnd_loopsAtTheEndOfTheTrace() {
    BandwidthTrace trace = BandwidthTrace.of(new double[] {5, 6, 7}, new double[] {9, 8, 16});
    // Starts 0.5 s into the second interval: 1 MB in 0.5 s, the loop restarts at 8 Mbit/s.
    long end = trace.transmitEndNanos(SECOND + SECOND / 2, 1_000_000 + 500_000);
    assertEquals(2 * SECOND + SECOND / 2, end, 1_000);
    assertEquals(8_000_000, trace.rateBpsAt(2 * SECOND + SECOND / 4));
    assertEquals(12_000_000, trace.meanRateBps(), 1e-6);
  }

  @Test
  void fixedRate_isSizeOverRate() {
    FixedRate rate = new FixedRate(8_000_000);
    assertEquals(SECOND + 7, rate.transmitEndNanos(7, 1_000_000));
    assertThrows(IllegalArgumentException.class, () -> new FixedRate(0));
  }

  @Test
  void load_readsEveryTrainingTrace() throws Exception {
    Path train = Path.of(System.getProperty("abrfetch.shared.dir", "../../shared"), "abr-traces", "train");
    assumeTrue(Files.isDirectory(train), "shared ABR traces not found at " + train);
    try (Stream<Path> files = Files.list(train)) {
      for (Path file : files.sorted().toList()) {
        BandwidthTrace trace = BandwidthTrace.load(file);
        assertEquals(true, trace.meanRateBps() > 0, file.toString());
      }
    }
  }
}
