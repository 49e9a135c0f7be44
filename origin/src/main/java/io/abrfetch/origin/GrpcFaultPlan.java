package io.abrfetch.origin;

import static io.abrfetch.origin.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which {@link GrpcFault}s the gRPC range-read front end injects into which streams: rules by
 * object path prefix, for ever or for the next N matching streams.
 *
 * <p>Thread-safe: tests change the plan from their own thread while the server consults it on its
 * event loop. A stream picks its faults once, when its first request names the object; a stream
 * gets at most one fault of each type (the first matching rule's).
 */
public final class GrpcFaultPlan {

  private static final int UNLIMITED = -1;

  private final Object lock = new Object();
  // Guarded by lock.
  private final List<Rule> rules = new ArrayList<>();

  GrpcFaultPlan() {}

  /** Applies {@code fault} to every stream whose object path starts with {@code pathPrefix}. */
  public GrpcFaultPlan add(String pathPrefix, GrpcFault fault) {
    return addRule(pathPrefix, fault, UNLIMITED);
  }

  /** Applies {@code fault} to the next {@code times} streams whose object path starts with {@code pathPrefix}. */
  public GrpcFaultPlan add(String pathPrefix, GrpcFault fault, int times) {
    checkArgument(times > 0, "times: %s (expected: > 0)", times);
    return addRule(pathPrefix, fault, times);
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
      for (var iterator = rules.iterator(); iterator.hasNext(); ) {
        Rule rule = iterator.next();
        if (!path.startsWith(rule.pathPrefix)
            || picked.stream().anyMatch(f -> f.getClass() == rule.fault.getClass())) {
          continue;
        }
        picked.add(rule.fault);
        if (rule.remaining != UNLIMITED && --rule.remaining == 0) {
          iterator.remove();
        }
      }
      return picked;
    }
  }

  private GrpcFaultPlan addRule(String pathPrefix, GrpcFault fault, int times) {
    Objects.requireNonNull(pathPrefix, "pathPrefix");
    Objects.requireNonNull(fault, "fault");
    checkArgument(pathPrefix.startsWith("/"), "pathPrefix: %s (expected: starts with /)", pathPrefix);
    synchronized (lock) {
      rules.add(new Rule(pathPrefix, fault, times));
    }
    return this;
  }

  private static final class Rule {
    final String pathPrefix;
    final GrpcFault fault;
    int remaining;

    Rule(String pathPrefix, GrpcFault fault, int remaining) {
      this.pathPrefix = pathPrefix;
      this.fault = fault;
      this.remaining = remaining;
    }
  }
}
