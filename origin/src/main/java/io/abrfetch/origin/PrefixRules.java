package io.abrfetch.origin;

import static io.abrfetch.origin.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Fault rules by path prefix, each for ever or for the next N matches: the part the HTTP and the
 * gRPC fault plans share. Not thread-safe: the owning plan guards it with its lock.
 *
 * @param <F> the fault type
 */
final class PrefixRules<F> {

  private static final int UNLIMITED = -1;

  private final List<Rule<F>> rules = new ArrayList<>();

  /** Adds a rule for every match ({@code times} absent) or for the next {@code times} matches. */
  void add(String pathPrefix, F fault) {
    addRule(pathPrefix, fault, UNLIMITED);
  }

  void add(String pathPrefix, F fault, int times) {
    checkArgument(times > 0, "times: %s (expected: > 0)", times);
    addRule(pathPrefix, fault, times);
  }

  /** Removes every rule for exactly {@code pathPrefix}; returns how many were removed. */
  int remove(String pathPrefix) {
    Objects.requireNonNull(pathPrefix, "pathPrefix");
    int before = rules.size();
    rules.removeIf(rule -> rule.pathPrefix.equals(pathPrefix));
    return before - rules.size();
  }

  void clear() {
    rules.clear();
  }

  /**
   * Appends to {@code picked}, in rule order, the fault of each rule matching {@code path} that does
   * not conflict with what is already picked, consuming one use of each limited rule applied (a
   * shadowed rule stays for later requests).
   */
  void pickInto(String path, List<F> picked, BiPredicate<List<F>, F> conflicts) {
    for (var iterator = rules.iterator(); iterator.hasNext(); ) {
      Rule<F> rule = iterator.next();
      if (!path.startsWith(rule.pathPrefix) || conflicts.test(picked, rule.fault)) {
        continue;
      }
      picked.add(rule.fault);
      if (rule.remaining != UNLIMITED && --rule.remaining == 0) {
        iterator.remove();
      }
    }
  }

  private void addRule(String pathPrefix, F fault, int times) {
    Objects.requireNonNull(pathPrefix, "pathPrefix");
    Objects.requireNonNull(fault, "fault");
    checkArgument(pathPrefix.startsWith("/"), "pathPrefix: %s (expected: starts with /)", pathPrefix);
    rules.add(new Rule<>(pathPrefix, fault, times));
  }

  private static final class Rule<F> {
    final String pathPrefix;
    final F fault;
    int remaining;

    Rule(String pathPrefix, F fault, int remaining) {
      this.pathPrefix = pathPrefix;
      this.fault = fault;
      this.remaining = remaining;
    }
  }
}
