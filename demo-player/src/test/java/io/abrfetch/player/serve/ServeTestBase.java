package io.abrfetch.player.serve;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import io.abrfetch.origin.LadderOptions;
import io.abrfetch.origin.OriginOptions;
import io.abrfetch.origin.OriginServer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real synthetic-ladder origin on 127.0.0.1 port 0 and a {@link FetcherVerticle} deployed with a
 * fast config (HTTP on port 0, short retry delays, progress every 100 ms, playback at 2x), plus
 * blocking helpers for the event bus and HTTP (test thread only).
 */
@ExtendWith(VertxExtension.class)
abstract class ServeTestBase {

  static final String TOKEN = "test-token-0123456789";

  Vertx vertx;
  OriginServer origin;
  FetcherVerticle verticle;
  String deploymentId;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void setUpVertx(Vertx vertx) {
    this.vertx = vertx;
  }

  @AfterEach
  void tearDown() throws Exception {
    if (deploymentId != null && vertx.deploymentIDs().contains(deploymentId)) {
      await(vertx.undeploy(deploymentId));
    }
    if (origin != null) {
      await(origin.close());
    }
  }

  /** Three variants of 200, 500 and 1,200 kbit/s, 1 s segments, VOD of 60. */
  static LadderOptions.Builder ladder() {
    return LadderOptions.builder()
        .bitratesBps(List.of(200_000L, 500_000L, 1_200_000L))
        .segmentDurationUs(1_000_000)
        .vodSegmentCount(60)
        .sizeJitter(0.1);
  }

  void startOrigin() throws Exception {
    startOrigin(OriginOptions.builder().ladder(ladder().build()));
  }

  void startOrigin(OriginOptions.Builder options) throws Exception {
    origin = await(OriginServer.start(vertx, options.build()));
  }

  /**
   * HTTP on 127.0.0.1 port 0, short retries, a 3 s look-ahead (so sessions keep fetching while
   * they play), progress every 100 ms published unthrottled, playback at twice real time.
   */
  static JsonObject fastConfig() {
    return new JsonObject("""
        {
          "downloader": {"inactivityTimeoutMs": 3000,
            "retry": {"baseDelayMs": 20, "maxDelayMs": 100, "maxRetryAfterMs": 2000}},
          "hls": {"targetBufferMs": 3000, "segmentRetryDelayMs": 50},
          "player": {"playbackRate": 2, "statusIntervalMs": 100},
          "http": {"port": 0},
          "eventBus": {"progressIntervalMs": 0},
          "shutdownTimeoutMs": 5000
        }""");
  }

  void deploy(JsonObject config) throws Exception {
    FetcherVerticle v = new FetcherVerticle();
    deploymentId = await(vertx.deployVerticle(v, new DeploymentOptions().setConfig(config)));
    verticle = v;
  }

  /** Deploys and expects the deployment to fail; returns why. */
  Throwable deployFailure(JsonObject config) throws Exception {
    try {
      String id = await(vertx.deployVerticle(new FetcherVerticle(),
          new DeploymentOptions().setConfig(config)));
      await(vertx.undeploy(id));
      fail("expected the deployment to fail, it succeeded: " + config.encode());
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  void undeploy() throws Exception {
    await(vertx.undeploy(deploymentId));
  }

  // ---------------------------------------------------------------- event bus

  String address(String operation) {
    return verticle.serveConfig().eventBus().address(operation);
  }

  JsonObject request(String operation, JsonObject body) throws Exception {
    Future<Message<Object>> reply = vertx.eventBus().request(address(operation), body,
        new DeliveryOptions().setSendTimeout(20_000));
    return (JsonObject) await(reply).body();
  }

  /** Sends a request that must fail; returns the {@link ReplyException}. */
  ReplyException requestFailure(String operation, Object body) throws Exception {
    try {
      Object reply = await(vertx.eventBus().request(address(operation), body,
          new DeliveryOptions().setSendTimeout(20_000))).body();
      fail("expected a failure, got " + reply);
      return null;
    } catch (ExecutionException e) {
      return assertInstanceOf(ReplyException.class, e.getCause());
    }
  }

  JsonObject open(JsonObject body) throws Exception {
    return request("open", body);
  }

  JsonObject openMaster() throws Exception {
    return open(new JsonObject().put("url", origin.masterPlaylistUrl()));
  }

  /** Polls the session's status until {@code condition} holds; returns that status. */
  JsonObject waitForStatus(String id, java.util.function.Predicate<JsonObject> condition,
      long timeoutMs) throws Exception {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    JsonObject status = request("status", new JsonObject().put("id", id));
    while (!condition.test(status)) {
      if (System.nanoTime() > deadline) {
        fail("condition not met in " + timeoutMs + " ms; last status: " + status.encode());
      }
      Thread.sleep(50);
      status = request("status", new JsonObject().put("id", id));
    }
    return status;
  }

  // ---------------------------------------------------------------- HTTP

  String baseUrl() {
    return "http://127.0.0.1:" + verticle.httpPort();
  }

  HttpResponse<String> send(String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(method, path, body, null);
  }

  // ---------------------------------------------------------------- waiting

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static void waitFor(BooleanSupplier condition, long timeoutMs, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within " + timeoutMs + " ms: " + what);
      }
      Thread.sleep(10);
    }
  }
}
