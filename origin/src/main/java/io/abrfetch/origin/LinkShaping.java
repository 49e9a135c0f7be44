package io.abrfetch.origin;

import java.util.Objects;

/**
 * How the origin limits the rate of HTTP bodies: not at all, or by a {@link RateSchedule} applied
 * to each connection on its own or to one link shared by all connections.
 *
 * @param scheduleOrNull the rate over time, or null for an unlimited link
 * @param scope whether each connection gets its own link or all share one
 */
public record LinkShaping(RateSchedule scheduleOrNull, Scope scope) {

  /** Who shares one link. */
  public enum Scope {
    /** Every connection has a link of the full rate to itself. */
    PER_CONNECTION,
    /** All connections share one link; parallel transfers split its rate. */
    SHARED
  }

  public LinkShaping {
    Objects.requireNonNull(scope, "scope");
  }

  /** No shaping: bodies go as fast as the connection and the client take them. */
  public static LinkShaping unlimited() {
    return new LinkShaping(null, Scope.PER_CONNECTION);
  }

  /** A constant rate in bits per second of body. */
  public static LinkShaping fixedRate(long rateBps, Scope scope) {
    return new LinkShaping(new FixedRate(rateBps), scope);
  }

  /** A replayed throughput trace, looping, its time zero at the server's start. */
  public static LinkShaping trace(BandwidthTrace trace, Scope scope) {
    return new LinkShaping(Objects.requireNonNull(trace, "trace"), scope);
  }

  /** True when bodies are not shaped. */
  public boolean isUnlimited() {
    return scheduleOrNull == null;
  }
}
