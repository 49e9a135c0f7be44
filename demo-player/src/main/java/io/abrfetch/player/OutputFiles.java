package io.abrfetch.player;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** Checks the commands make on the files they will write, before any work starts. */
final class OutputFiles {
  private OutputFiles() {}

  /**
   * Throws a picocli usage error naming {@code option} unless {@code file} can be created or
   * replaced: not a folder, in an existing writable folder.
   */
  static void checkWritable(CommandLine commandLine, String option, Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (Files.isDirectory(file) || parent == null || !Files.isDirectory(parent)
        || !Files.isWritable(parent)) {
      throw new CommandLine.ParameterException(commandLine,
          option + ": " + file + " (expected: a file in a writable folder)");
    }
  }
}
