package io.abrfetch.origin;

import static io.abrfetch.origin.Preconditions.checkArgument;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A replayed throughput trace in the {@code time_s throughput_Mbps} format of the ABR trace sets
 * (one sample a line, any whitespace, CR LF allowed), looping at its end.
 *
 * <p>As in the trace-driven simulator, sample {@code i >= 1} gives the rate over the interval
 * {@code (t[i-1], t[i]]}, so sample 0 only marks where the trace starts; the loop period is
 * {@code t[last] - t[0]}. Rates are HTTP body goodput ({@code 1 Mbps = 10^6 bit/s}); intervals of
 * zero throughput send nothing. Immutable and thread-safe.
 */
public final class BandwidthTrace implements RateSchedule {

  private final double[] timesS;
  private final double[] throughputsMbps;
  private final String name;

  private BandwidthTrace(String name, double[] timesS, double[] throughputsMbps) {
    this.name = name;
    this.timesS = timesS;
    this.throughputsMbps = throughputsMbps;
  }

  /**
   * Reads a trace file; blocking file I/O, so call it while configuring, never on an event loop.
   *
   * @throws OriginException of kind {@code TRACE_FORMAT} when it cannot be read or parsed
   */
  public static BandwidthTrace load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OriginException(OriginException.Kind.TRACE_FORMAT,
          "trace " + file + ": cannot read (" + e.getMessage() + ")", e);
    }
    return parse(file.toString(), text);
  }

  /**
   * Parses trace text; {@code name} only labels error messages.
   *
   * @throws OriginException of kind {@code TRACE_FORMAT} when a line is not two numbers, times do not
   *     strictly increase, a throughput is negative, there are fewer than two samples, or every
   *     interval has zero throughput
   */
  public static BandwidthTrace parse(String name, String text) {
    String[] lines = text.split("\r?\n|\r");
    double[] times = new double[lines.length];
    double[] rates = new double[lines.length];
    int count = 0;
    for (int lineIndex = 0; lineIndex < lines.length; lineIndex++) {
      String line = lines[lineIndex].strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split("\\s+");
      if (fields.length != 2) {
        throw badLine(name, lineIndex, line, "expected: time_s throughput_Mbps");
      }
      double time;
      double rate;
      try {
        time = Double.parseDouble(fields[0]);
        rate = Double.parseDouble(fields[1]);
      } catch (NumberFormatException e) {
        throw badLine(name, lineIndex, line, "expected two numbers");
      }
      if (!Double.isFinite(time) || !Double.isFinite(rate) || rate < 0) {
        throw badLine(name, lineIndex, line, "expected a finite time and a throughput >= 0");
      }
      if (count > 0 && time <= times[count - 1]) {
        throw badLine(name, lineIndex, line, "expected time > " + times[count - 1]);
      }
      times[count] = time;
      rates[count] = rate;
      count++;
    }
    if (count < 2) {
      throw new OriginException(OriginException.Kind.TRACE_FORMAT,
          "trace " + name + ": " + count + " samples (expected: >= 2)");
    }
    boolean anyPositive = false;
    for (int i = 1; i < count; i++) {
      anyPositive |= rates[i] > 0;
    }
    if (!anyPositive) {
      throw new OriginException(OriginException.Kind.TRACE_FORMAT,
          "trace " + name + ": every interval has zero throughput (expected: some > 0)");
    }
    return new BandwidthTrace(name, Arrays.copyOf(times, count), Arrays.copyOf(rates, count));
  }

  /** A trace from explicit samples; see {@link #parse(String, String)} for the rules. */
  public static BandwidthTrace of(double[] timesS, double[] throughputsMbps) {
    checkArgument(timesS.length == throughputsMbps.length,
        "throughputsMbps.length: %s (expected: timesS.length %s)",
        throughputsMbps.length, timesS.length);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < timesS.length; i++) {
      text.append(timesS[i]).append(' ').append(throughputsMbps[i]).append('\n');
    }
    return parse("samples", text.toString());
  }

  /** Where the trace came from (file name or "samples"). */
  public String name() {
    return name;
  }

  /** Samples in the trace. */
  public int sampleCount() {
    return timesS.length;
  }

  /** The loop period in seconds: {@code t[last] - t[0]}. */
  public double periodS() {
    return timesS[timesS.length - 1] - timesS[0];
  }

  /** The rate in bit/s at {@code elapsedNanos} since the epoch. */
  public double rateBpsAt(long elapsedNanos) {
    double traceTimeS = timesS[0] + (elapsedNanos / 1e9) % periodS();
    return throughputsMbps[intervalContaining(traceTimeS)] * 1e6;
  }

  /** The average rate over one loop, in bit/s. */
  public double meanRateBps() {
    double bits = 0;
    for (int i = 1; i < timesS.length; i++) {
      bits += (timesS[i] - timesS[i - 1]) * throughputsMbps[i] * 1e6;
    }
    return bits / periodS();
  }

  @Override
  public long transmitEndNanos(long startNanos, long sizeBytes) {
    double period = periodS();
    double remainingBits = sizeBytes * 8.0;
    long loops = (long) Math.floor(startNanos / 1e9 / period);
    double traceTime = timesS[0] + (startNanos / 1e9 - loops * period);
    int interval = intervalContaining(traceTime);
    while (true) {
      double rateBps = throughputsMbps[interval] * 1e6;
      double intervalEnd = timesS[interval];
      double capacityBits = (intervalEnd - traceTime) * rateBps;
      if (remainingBits <= capacityBits && rateBps > 0) {
        traceTime += remainingBits / rateBps;
        break;
      }
      remainingBits -= capacityBits;
      traceTime = intervalEnd;
      interval++;
      if (interval == timesS.length) {
        interval = 1;
        loops++;
        traceTime = timesS[0];
      }
    }
    long end = (long) Math.ceil((loops * period + traceTime - timesS[0]) * 1e9);
    return Math.max(startNanos, end);
  }

  /** The index {@code i >= 1} with {@code t[i-1] <= traceTimeS < t[i]}. */
  private int intervalContaining(double traceTimeS) {
    int found = Arrays.binarySearch(timesS, traceTimeS);
    int index = found >= 0 ? found + 1 : -found - 1;
    return Math.min(Math.max(index, 1), timesS.length - 1);
  }

  private static OriginException badLine(String name, int lineIndex, String line, String expected) {
    return new OriginException(OriginException.Kind.TRACE_FORMAT,
        "trace " + name + " line " + (lineIndex + 1) + ": '" + line + "' (" + expected + ")");
  }

  @Override
  public String toString() {
    return "BandwidthTrace[" + name + ", " + timesS.length + " samples, mean "
        + Math.round(meanRateBps()) + " bps]";
  }
}
