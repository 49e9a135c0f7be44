package io.abrfetch.player.load.cluster;

import io.abrfetch.player.Main;
import io.abrfetch.player.load.LoadTestCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * A {@code loadtest} process for the cluster tests: {@link #main} runs the CLI's {@code loadtest}
 * command; {@link #start} launches it as a child JVM on this test's class path, its output in
 * files.
 */
final class ChildJvm {

  /** What Hazelcast asks for to use its fast paths on Java 17; without them it only warns. */
  static final List<String> HAZELCAST_JVM_FLAGS = List.of(
      "--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  final Process process;
  final Path stdout;
  final Path stderr;

  private ChildJvm(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The CLI's {@code loadtest} (through {@link Main} once it lists the command). */
  public static void main(String[] args) {
    CommandLine main = Main.commandLine();
    CommandLine loadtest = main.getSubcommands().containsKey("loadtest")
        ? main
        : new CommandLine(new LoadTestCommand());
    String[] effective = loadtest == main ? prepend("loadtest", args) : args;
    System.exit(loadtest.execute(effective));
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  /** Starts {@code loadtest args} in a child JVM with {@code cores} processors. */
  static ChildJvm start(Path dir, String name, int cores, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:ActiveProcessorCount=" + cores);
    command.add("-XX:TieredStopAtLevel=1"); // starts faster; these runs are short
    command.add("-ea");
    command.addAll(HAZELCAST_JVM_FLAGS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ChildJvm.class.getName());
    command.addAll(args);
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    Process process = new ProcessBuilder(command)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    return new ChildJvm(process, out, err);
  }

  String output() {
    try {
      return "--- stdout\n" + Files.readString(stdout) + "--- stderr\n" + Files.readString(stderr);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  String stderrText() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "";
    }
  }

  /** Kills it (and waits), if it still runs. */
  void destroy() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
