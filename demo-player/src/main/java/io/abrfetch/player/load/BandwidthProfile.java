package io.abrfetch.player.load;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One class of simulated client link in a viewer population, e.g. "3g" at 1.5 Mbit/s with weight
 * 2: a viewer gets this profile with probability {@code weight / sum of weights}. Its link is
 * either a fixed rate or a replayed trace file (the origin module's {@code BandwidthTrace}
 * format: {@code time_s throughput_Mbps} lines); neither means unlimited. Immutable.
 *
 * @param name a label shown in reports
 * @param rateBps the fixed link rate in bit/s, or 0 when unlimited or traced
 * @param traceFileOrNull a trace file replayed per viewer (each viewer from its own start), or null
 * @param weight the relative share of viewers with this profile, {@code > 0}
 */
public record BandwidthProfile(String name, long rateBps, String traceFileOrNull, double weight) {

  public BandwidthProfile {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("profile name: '' (expected: a label)");
    }
    if (rateBps < 0) {
      throw new IllegalArgumentException(
          "profile " + name + " rateBps: " + rateBps + " (expected: >= 0, 0 for unlimited)");
    }
    if (rateBps > 0 && traceFileOrNull != null) {
      throw new IllegalArgumentException(
          "profile " + name + ": both a rate and a trace file (expected: one of them)");
    }
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException(
          "profile " + name + " weight: " + weight + " (expected: > 0)");
    }
  }

  /** An unlimited link for every viewer. */
  public static BandwidthProfile unlimited() {
    return new BandwidthProfile("unlimited", 0, null, 1);
  }

  /** A fixed-rate profile. */
  public static BandwidthProfile fixed(String name, long rateBps, double weight) {
    return new BandwidthProfile(name, rateBps, null, weight);
  }

  /** A traced profile. */
  public static BandwidthProfile trace(String name, String traceFile, double weight) {
    return new BandwidthProfile(name, 0, Objects.requireNonNull(traceFile, "traceFile"), weight);
  }

  /** True when viewers of this profile read as fast as the network lets them. */
  public boolean isUnlimited() {
    return rateBps == 0 && traceFileOrNull == null;
  }

  /**
   * Parses the command-line form {@code NAME=RATE[@WEIGHT]} or {@code NAME=trace:FILE[@WEIGHT]},
   * where RATE is bit/s with an optional k/M/G suffix ({@code 3g=1.5M@2}, {@code cable=20M},
   * {@code lte=trace:traces/lte.log@3}) or {@code unlimited}.
   *
   * @throws IllegalArgumentException naming the spec when it does not parse
   */
  public static BandwidthProfile parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0 || eq == spec.length() - 1) {
      throw new IllegalArgumentException(
          "profile: '" + spec + "' (expected: NAME=RATE[@WEIGHT] or NAME=trace:FILE[@WEIGHT])");
    }
    String name = spec.substring(0, eq);
    String rest = spec.substring(eq + 1);
    double weight = 1;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      try {
        weight = Double.parseDouble(rest.substring(at + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "profile: '" + spec + "' weight '" + rest.substring(at + 1) + "' (expected: a number)");
      }
      rest = rest.substring(0, at);
    }
    if (rest.startsWith("trace:")) {
      String file = rest.substring("trace:".length());
      if (file.isEmpty()) {
        throw new IllegalArgumentException("profile: '" + spec + "' (expected: trace:FILE)");
      }
      return new BandwidthProfile(name, 0, file, weight);
    }
    if (rest.equalsIgnoreCase("unlimited")) {
      return new BandwidthProfile(name, 0, null, weight);
    }
    return new BandwidthProfile(name, parseBps(spec, rest), null, weight);
  }

  /** Parses {@code 1500000}, {@code 1500k}, {@code 1.5M}, {@code 1G} as bit/s. */
  static long parseBps(String context, String text) {
    double multiplier = 1;
    String digits = text;
    char last = text.isEmpty() ? ' ' : Character.toLowerCase(text.charAt(text.length() - 1));
    if (last == 'k' || last == 'm' || last == 'g') {
      multiplier = last == 'k' ? 1e3 : last == 'm' ? 1e6 : 1e9;
      digits = text.substring(0, text.length() - 1);
    }
    try {
      double value = Double.parseDouble(digits) * multiplier;
      if (!(value >= 1) || Double.isInfinite(value)) {
        throw new NumberFormatException();
      }
      return Math.round(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("profile: '" + context + "' rate '" + text
          + "' (expected: bit/s >= 1, optionally with k, M or G)");
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("rateBps", rateBps)
        .put("weight", weight);
    if (traceFileOrNull != null) {
      json.put("traceFile", traceFileOrNull);
    }
    return json;
  }

  public static BandwidthProfile fromJson(JsonObject json) {
    return new BandwidthProfile(json.getString("name"), json.getLong("rateBps", 0L),
        json.getString("traceFile"), json.getDouble("weight", 1.0));
  }
}
