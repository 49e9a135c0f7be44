package io.abrfetch.abr.sim;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds {@code shared/abr-traces} for tests, or skips the test with a message. */
final class SharedTraces {
  private SharedTraces() {}

  /** The {@code abr-traces} folder; skips the calling test when it cannot be found. */
  static Path folder() {
    String configured = System.getProperty("abrfetch.shared.dir");
    Path[] candidates = {
      configured == null ? null : Path.of(configured),
      Path.of("../../shared"),
      Path.of("../shared"),
    };
    for (Path candidate : candidates) {
      if (candidate != null && Files.isDirectory(candidate.resolve("abr-traces/golden"))) {
        return candidate.resolve("abr-traces").toAbsolutePath().normalize();
      }
    }
    assumeTrue(false, "shared/abr-traces not found (set -Dabrfetch.shared.dir=<dir holding "
        + "abr-traces>; tried " + configured + ", ../../shared, ../shared): skipping");
    throw new AssertionError("unreachable");
  }
}
