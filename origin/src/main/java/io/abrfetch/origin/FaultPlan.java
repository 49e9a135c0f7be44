package io.abrfetch.origin;

import static io.abrfetch.origin.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Which {@link Fault}s the origin injects into which requests: rules by path prefix (for ever or for
 * the next N matching requests) and an optional seeded random schedule.
 *
 * <p>Thread-safe: tests change the plan from their own thread while the server consults it on its
 * event loop. A request picks its faults once, when it arrives; changing the plan does not affect
 * responses already under way. Independent of HTTP, so other front ends can share it.
 */
public final class FaultPlan {

  private final Object lock = new Object();
  // Guarded by lock.
  private final PrefixRules<Fault> rules = new PrefixRules<>();
  private final Map<String, Integer> generationsByPath = new HashMap<>();
  private RandomSchedule schedule;

  FaultPlan() {}

  /** Applies {@code fault} to every request whose path starts with {@code pathPrefix} until removed. */
  public FaultPlan add(String pathPrefix, Fault fault) {
    synchronized (lock) {
      rules.add(pathPrefix, fault);
    }
    return this;
  }

  /** Applies {@code fault} to the next {@code times} requests whose path starts with {@code pathPrefix}. */
  public FaultPlan add(String pathPrefix, Fault fault, int times) {
    synchronized (lock) {
      rules.add(pathPrefix, fault, times);
    }
    return this;
  }

  /** Removes every rule for exactly {@code pathPrefix}; returns how many were removed. */
  public int remove(String pathPrefix) {
    synchronized (lock) {
      return rules.remove(pathPrefix);
    }
  }

  /**
   * Removes every rule and the random schedule. ETag generations bumped by {@link Fault.EtagChange}
   * stay: an object does not go back to an older revision.
   */
  public FaultPlan clear() {
    synchronized (lock) {
      rules.clear();
      schedule = null;
    }
    return this;
  }

  /**
   * Adds a seeded random schedule: each request (any path) gets, with {@code probability}, one
   * fault drawn uniformly from {@code faults}. The same seed and request order give the same faults.
   */
  public FaultPlan randomly(long seed, double probability, List<Fault> faults) {
    return randomly("/", seed, probability, faults);
  }

  /** Like {@link #randomly(long, double, List)}, for requests whose path starts with {@code pathPrefix}. */
  public FaultPlan randomly(String pathPrefix, long seed, double probability, List<Fault> faults) {
    Objects.requireNonNull(pathPrefix, "pathPrefix");
    checkArgument(probability >= 0 && probability <= 1,
        "probability: %s (expected: 0..1)", probability);
    checkArgument(!faults.isEmpty(), "faults: [] (expected: at least one fault)");
    List<Fault> copy = List.copyOf(faults);
    synchronized (lock) {
      schedule = new RandomSchedule(pathPrefix, new SplittableRandom(seed), probability, copy);
    }
    return this;
  }

  /**
   * The ETag generation of the object at {@code path}: 0 until a {@link Fault.EtagChange} hits it,
   * then one more for each hit.
   */
  public int generation(String path) {
    synchronized (lock) {
      return generationsByPath.getOrDefault(path, 0);
    }
  }

  /**
   * The faults for one request to {@code path}, in rule order: the first matching rule of each fault
   * type, and at most one response-replacing fault ({@link Fault.Status}, {@link Fault.HtmlPage200},
   * {@link Fault.RedirectLoop}). Consumes one use of each limited rule it applies (a rule that is
   * shadowed stays for later requests) and bumps the generation of {@code path} for an
   * {@link Fault.EtagChange}.
   */
  List<Fault> pick(String path) {
    synchronized (lock) {
      List<Fault> picked = new ArrayList<>(2);
      rules.pickInto(path, picked, FaultPlan::conflicts);
      if (schedule != null && path.startsWith(schedule.pathPrefix)) {
        // Always draw both numbers so the sequence depends only on the seed and request order.
        double draw = schedule.random.nextDouble();
        int index = schedule.random.nextInt(schedule.faults.size());
        if (draw < schedule.probability && !conflicts(picked, schedule.faults.get(index))) {
          picked.add(schedule.faults.get(index));
        }
      }
      for (Fault fault : picked) {
        if (fault instanceof Fault.EtagChange) {
          generationsByPath.merge(path, 1, Integer::sum);
        }
      }
      return picked;
    }
  }

  /**
   * True when {@code candidate} cannot join {@code picked}: a request gets at most one fault of each
   * type, and at most one that replaces the response.
   */
  private static boolean conflicts(List<Fault> picked, Fault candidate) {
    for (Fault fault : picked) {
      if (fault.getClass() == candidate.getClass()
          || (replacesResponse(fault) && replacesResponse(candidate))) {
        return true;
      }
    }
    return false;
  }

  private static boolean replacesResponse(Fault fault) {
    return fault instanceof Fault.Status || fault instanceof Fault.HtmlPage200
        || fault instanceof Fault.RedirectLoop;
  }

  private record RandomSchedule(
      String pathPrefix, SplittableRandom random, double probability, List<Fault> faults) {}
}
