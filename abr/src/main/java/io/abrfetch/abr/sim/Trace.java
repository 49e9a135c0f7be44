package io.abrfetch.abr.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A network throughput trace: sample times in seconds (cumulative, strictly increasing) and the
 * throughput in Mbit/s (10^6 bit/s) that holds up to each time.
 *
 * <p>Immutable; the arrays are never exposed.
 */
public final class Trace {
  private final String name;
  private final double[] timesS;
  private final double[] throughputsMbps;

  private Trace(String name, double[] timesS, double[] throughputsMbps) {
    this.name = name;
    this.timesS = timesS;
    this.throughputsMbps = throughputsMbps;
  }

  /** Builds a trace from parallel arrays (copied); times strictly increasing, throughput >= 0. */
  public static Trace of(String name, double[] timesS, double[] throughputsMbps) {
    Path source = Path.of(name);
    if (timesS.length != throughputsMbps.length) {
      throw new TraceException(
          TraceException.Kind.MALFORMED_LINE, source, 0,
          "times and throughputs differ in length: " + timesS.length + " vs "
              + throughputsMbps.length, null);
    }
    validate(source, timesS, throughputsMbps);
    return new Trace(name, timesS.clone(), throughputsMbps.clone());
  }

  /**
   * Reads a trace file: one {@code time_s throughput_Mbps} pair a line, split on any whitespace
   * (CR LF tolerated), blank lines skipped.
   *
   * @throws TraceException when the file cannot be read or a line is malformed
   */
  public static Trace load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TraceException(TraceException.Kind.IO, file, 0, "cannot read: " + e, e);
    }
    double[] times = new double[lines.size()];
    double[] rates = new double[lines.size()];
    int count = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split("\\s+");
      if (fields.length < 2) {
        throw new TraceException(
            TraceException.Kind.MALFORMED_LINE, file, i + 1,
            "'" + line + "' (expected: time_s throughput_Mbps)", null);
      }
      try {
        times[count] = Double.parseDouble(fields[0]);
        rates[count] = Double.parseDouble(fields[1]);
      } catch (NumberFormatException e) {
        throw new TraceException(
            TraceException.Kind.MALFORMED_LINE, file, i + 1,
            "'" + line + "' (expected: two numbers)", e);
      }
      count++;
    }
    double[] timesS = Arrays.copyOf(times, count);
    double[] throughputs = Arrays.copyOf(rates, count);
    validate(file, timesS, throughputs);
    return new Trace(file.getFileName().toString(), timesS, throughputs);
  }

  /** Loads every regular file of {@code folder}, in sorted file-name order. */
  public static List<Trace> loadFolder(Path folder) {
    List<Path> files;
    try (Stream<Path> entries = Files.list(folder)) {
      files = entries.filter(Files::isRegularFile).sorted(
          (a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new TraceException(TraceException.Kind.IO, folder, 0, "cannot list: " + e, e);
    }
    List<Trace> traces = new ArrayList<>(files.size());
    for (Path file : files) {
      traces.add(load(file));
    }
    return List.copyOf(traces);
  }

  private static void validate(Path file, double[] timesS, double[] throughputsMbps) {
    if (timesS.length < 2) {
      throw new TraceException(
          TraceException.Kind.TOO_SHORT, file, 0,
          timesS.length + " samples (expected: at least 2)", null);
    }
    for (int i = 0; i < timesS.length; i++) {
      if (!Double.isFinite(timesS[i]) || !Double.isFinite(throughputsMbps[i])
          || throughputsMbps[i] < 0) {
        throw new TraceException(
            TraceException.Kind.OUT_OF_RANGE, file, 0,
            "sample " + i + ": " + timesS[i] + " s, " + throughputsMbps[i]
                + " Mbps (expected: finite, throughput >= 0)", null);
      }
      if (i > 0 && !(timesS[i] > timesS[i - 1])) {
        throw new TraceException(
            TraceException.Kind.OUT_OF_RANGE, file, 0,
            "sample " + i + ": time " + timesS[i] + " s after " + timesS[i - 1]
                + " s (expected: strictly increasing)", null);
      }
    }
    if (timesS[timesS.length - 1] <= 0) {
      throw new TraceException(
          TraceException.Kind.OUT_OF_RANGE, file, 0, "the trace ends at or before time 0", null);
    }
    boolean anyBandwidth = false;
    for (int i = 1; i < throughputsMbps.length; i++) {
      anyBandwidth |= throughputsMbps[i] > 0;
    }
    if (!anyBandwidth) {
      throw new TraceException(
          TraceException.Kind.OUT_OF_RANGE, file, 0,
          "no sample after the first has throughput > 0: nothing could ever download", null);
    }
  }

  /** The file name (or the name given to {@link #of}). */
  public String name() {
    return name;
  }

  /** Number of samples. */
  public int size() {
    return timesS.length;
  }

  /** Time of sample {@code i} in seconds. */
  public double timeS(int i) {
    return timesS[i];
  }

  /** Throughput of sample {@code i} in Mbit/s. */
  public double throughputMbps(int i) {
    return throughputsMbps[i];
  }

  @Override
  public String toString() {
    return "Trace[" + name + ", " + timesS.length + " samples]";
  }
}
