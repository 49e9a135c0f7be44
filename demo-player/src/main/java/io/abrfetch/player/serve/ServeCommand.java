package io.abrfetch.player.serve;

import io.abrfetch.player.RunUntilStopped;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code abrfetch serve --config FILE}: deploys a {@link FetcherVerticle} with the JSON config in
 * FILE (the defaults without one) and runs until Ctrl-C or SIGTERM, which undeploy it gracefully
 * (every session closed, every fetch ended) before the JVM exits.
 *
 * <p>Threading: {@link #call()} blocks the calling thread until {@link #stop()} or the JVM's
 * shutdown; everything else runs on Vert.x event loops.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
        "Runs the fetcher as a Vert.x verticle: playback sessions opened and steered over HTTP"
            + " (127.0.0.1:8080 by default) and the event bus, Prometheus metrics at /metrics,"
            + " liveness at /health. Runs until Ctrl-C; see SERVE.md for the config keys."},
    sortOptions = false)
public final class ServeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE",
      description = "JSON config file (default: every default).")
  Path configFile;

  private final RunUntilStopped running = new RunUntilStopped();

  @Override
  public Integer call() throws Exception {
    JsonObject json = readConfig();
    Vertx vertx = Vertx.vertx();
    FetcherVerticle verticle = new FetcherVerticle();
    String deploymentId;
    try {
      deploymentId = vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(json))
          .await();
    } catch (RuntimeException e) {
      vertx.close().await();
      // A port in use, say: one line, no stack trace.
      spec.commandLine().getErr().println("abrfetch serve: " + e.getMessage());
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(announcement(verticle));
    out.flush();
    // On Ctrl-C or SIGTERM the JVM waits for the undeploy (sessions closed, fetches ended).
    String deployed = deploymentId;
    running.await("serve-shutdown", verticle.serveConfig().shutdownTimeoutMs() + 5_000, () -> {
      try {
        vertx.undeploy(deployed).await();
      } finally {
        vertx.close().await();
      }
    });
    return 0;
  }

  /** Makes a running {@link #call()} undeploy the verticle and return. */
  public void stop() {
    running.stop();
  }

  /** The line printed once the verticle runs: where its HTTP API and event-bus API are. */
  static String announcement(FetcherVerticle verticle) {
    ServeConfig config = verticle.serveConfig();
    StringBuilder line = new StringBuilder("abrfetch serving");
    if (config.http().enabled()) {
      String host = config.http().host().contains(":") && !config.http().host().startsWith("[")
          ? "[" + config.http().host() + "]" : config.http().host();
      line.append(" http://").append(host).append(':').append(verticle.httpPort());
      line.append(config.http().token() == null ? " (no token)" : " (bearer token required)");
    }
    if (config.eventBus().enabled()) {
      line.append(" event bus ").append(config.eventBus().addressPrefix()).append(".*");
    }
    return line.toString();
  }

  /** The config file's JSON, checked; a bad file is a usage error naming the file and key. */
  JsonObject readConfig() {
    if (configFile == null) {
      return new JsonObject();
    }
    String text;
    try {
      text = Files.readString(configFile);
    } catch (IOException e) {
      throw usage("--config " + configFile + ": cannot read (" + e.getMessage() + ")");
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException e) {
      throw usage("--config " + configFile + ": expected a JSON object (" + e.getMessage() + ")");
    }
    try {
      ServeConfig.fromJson(json);
    } catch (ServeConfigException e) {
      throw usage("--config " + configFile + ": " + e.getMessage());
    }
    return json;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
