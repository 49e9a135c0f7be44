package io.abrfetch.player;

import io.abrfetch.player.load.LoadTestCommand;
import io.abrfetch.player.serve.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code abrfetch} command line: one picocli subcommand per job. */
@Command(
    name = "abrfetch",
    mixinStandardHelpOptions = true,
    version = "abrfetch 0.1.0",
    description = "Adaptive-bitrate media segment fetcher.",
    subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, PlayCommand.class,
        DownloadCommand.class, InspectCommand.class, ServeCommand.class, OriginCommand.class,
        AbrBenchCommand.class, LoadTestCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with every subcommand registered; tests execute it in process. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
