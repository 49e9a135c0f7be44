package io.abrfetch.origin;

import java.util.ArrayList;
import java.util.List;

/**
 * Which {@link GrpcFault}s the gRPC range-read front end injects into which streams: rules by
 * object path prefix, for ever or for the next N matching streams.
 *
 * <p>Thread-safe: tests change the plan from their own thread while the server consults it on its
 * event loop. A stream picks its faults once, when its first request names the object; a stream
 * gets at most one fault of each type (the first matching rule's).
 */
public final class GrpcFaultPlan {

  private final Object lock = new Object();
  // Guarded by lock.
  private final PrefixRules<GrpcFault> rules = new PrefixRules<>();

  GrpcFaultPlan() {}

  /** Applies {@code fault} to every stream whose object path starts with {@code pathPrefix}. */
  public GrpcFaultPlan add(String pathPrefix, GrpcFault fault) {
    synchronized (lock) {
      rules.add(pathPrefix, fault);
    }
    return this;
  }

  /** Applies {@code fault} to the next {@code times} streams whose object path starts with {@code pathPrefix}. */
  public GrpcFaultPlan add(String pathPrefix, GrpcFault fault, int times) {
    synchronized (lock) {
      rules.add(pathPrefix, fault, times);
    }
    return this;
  }

  /** Removes every rule. */
  public GrpcFaultPlan clear() {
    synchronized (lock) {
      rules.clear();
    }
    return this;
  }

  /** The faults of one stream for the object at {@code path}; consumes one use of each limited rule applied. */
  List<GrpcFault> pick(String path) {
    synchronized (lock) {
      List<GrpcFault> picked = new ArrayList<>(2);
      rules.pickInto(
          path, picked, (already, fault) -> already.stream().anyMatch(f -> f.getClass() == fault.getClass()));
      return picked;
    }
  }
}
