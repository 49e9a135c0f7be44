package io.abrfetch.player.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.player.Main;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code abrfetch serve --config FILE}, run in process. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeCommandTest {

  private static final Pattern ANNOUNCEMENT =
      Pattern.compile("abrfetch serving http://127\\.0\\.0\\.1:(\\d+) \\(bearer token required\\)"
          + " event bus edge\\.\\*");

  @Test
  void serve_startsFromAConfigFile_answersHealth_andStops(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("serve.json");
    Files.writeString(config, new JsonObject()
        .put("http", new JsonObject().put("port", 0).put("token", "serve-command-token-1"))
        .put("eventBus", new JsonObject().put("addressPrefix", "edge"))
        .encodePrettily());
    ServeCommand command = new ServeCommand();
    CommandLine line = new CommandLine(command);
    StringWriter out = new StringWriter();
    line.setOut(new PrintWriter(out, true));
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
        () -> line.execute("--config", config.toString()));

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Matcher announced = ANNOUNCEMENT.matcher("");
    while (!announced.reset(out.toString()).find()) {
      assertTrue(System.nanoTime() < deadline && !exit.isDone(), "no announcement: " + out);
      Thread.sleep(20);
    }
    int port = Integer.parseInt(announced.group(1));
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    assertEquals(new JsonObject().put("status", "UP").put("sessions", 0),
        new JsonObject(health.body()));
    assertEquals(401, http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/sessions")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());

    command.stop();
    assertEquals(0, exit.get(20, TimeUnit.SECONDS));
  }

  @Test
  void badConfigFile_isAUsageErrorNamingTheKey(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"downloader\": {\"maxInFlight\": -3}}");
    Run run = run("serve", "--config", bad.toString());
    assertEquals(2, run.exitCode);
    assertTrue(run.err.contains("--config " + bad + ": downloader.maxInFlight: expected a "
        + "positive integer, got -3"), run.err);

    Path open = dir.resolve("open.json");
    Files.writeString(open, "{\"http\": {\"host\": \"0.0.0.0\"}}");
    Run openRun = run("serve", "--config", open.toString());
    assertEquals(2, openRun.exitCode);
    assertTrue(openRun.err.contains("http.token: required when http.host is not a loopback"),
        openRun.err);

    Path notJson = dir.resolve("broken.json");
    Files.writeString(notJson, "{\"http\": ");
    Run broken = run("serve", "--config", notJson.toString());
    assertEquals(2, broken.exitCode);
    assertTrue(broken.err.contains(": expected a JSON object"), broken.err);

    Run missing = run("serve", "--config", dir.resolve("none.json").toString());
    assertEquals(2, missing.exitCode);
    assertTrue(missing.err.contains("none.json: cannot read"), missing.err);
  }

  @Test
  void busyPort_isOneLineAndExitCode1(@TempDir Path dir) throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path config = dir.resolve("busy.json");
      Files.writeString(config, "{\"http\": {\"port\": " + busy.getLocalPort() + "}}");
      Run run = run("serve", "--config", config.toString());
      assertEquals(1, run.exitCode);
      assertTrue(run.err.startsWith("abrfetch serve: the fetcher verticle did not start"),
          run.err);
      assertEquals(1, run.err.strip().lines().count(), run.err);
    }
  }

  private record Run(int exitCode, String err) {}

  private static Run run(String... args) {
    CommandLine line = Main.commandLine();
    StringWriter err = new StringWriter();
    line.setErr(new PrintWriter(err, true));
    line.setOut(new PrintWriter(new StringWriter(), true));
    int code = line.execute(args);
    return new Run(code, err.toString());
  }
}
