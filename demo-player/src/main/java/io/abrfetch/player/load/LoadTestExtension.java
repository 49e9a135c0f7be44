package io.abrfetch.player.load;

import java.util.Optional;

/**
 * A plug-in of the {@code loadtest} command, found with {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/io.abrfetch.player.load.LoadTestExtension}). Its instance is added to
 * the command as a picocli mixin, so its {@code @Option} fields become options of {@code loadtest}
 * (the cluster mode adds {@code --cluster}, {@code --role} and its member addresses this way).
 * After parsing, the command asks each extension for a {@link #fleet()}; the first one present
 * runs the viewers instead of this process.
 *
 * <p>Threading: used on the command's thread only.
 */
public interface LoadTestExtension {

  /** The mixin's name (unique among extensions). */
  String name();

  /** The fleet its parsed options ask for, or empty to run locally. */
  Optional<LoadFleet> fleet();
}
