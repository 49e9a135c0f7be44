package io.abrfetch.player.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.origin.Fault;
import io.abrfetch.origin.LinkShaping;
import io.abrfetch.origin.OriginOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deploy-time config checks, and the graceful undeploy with sessions and requests in flight. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FetcherVerticleTest extends ServeTestBase {

  @Test
  void deploy_failsOnUnknownKeysBadValuesAndAnOpenBindWithoutToken() throws Exception {
    ServeConfigException unknown = assertInstanceOf(ServeConfigException.class,
        deployFailure(new JsonObject("{\"downloader\": {\"maxInflight\": 3}}")));
    assertTrue(unknown.getMessage().startsWith("downloader.maxInflight: unknown key"),
        unknown.getMessage());

    ServeConfigException bad = assertInstanceOf(ServeConfigException.class,
        deployFailure(new JsonObject("{\"downloader\": {\"maxInFlight\": -3}}")));
    assertEquals("downloader.maxInFlight: expected a positive integer, got -3", bad.getMessage());

    ServeConfigException policy = assertInstanceOf(ServeConfigException.class,
        deployFailure(new JsonObject("{\"abr\": {\"policy\": \"magic\"}}")));
    assertEquals("abr.policy", policy.path());

    ServeConfigException open = assertInstanceOf(ServeConfigException.class,
        deployFailure(new JsonObject("{\"http\": {\"host\": \"0.0.0.0\", \"port\": 0}}")));
    assertEquals("http.token", open.path());
    assertTrue(open.getMessage().contains("not a loopback address"), open.getMessage());
    assertTrue(vertx.deploymentIDs().isEmpty());
  }

  @Test
  void deploy_onABusyPort_failsAndLeavesNothingRunning() throws Exception {
    FetcherVerticle v = new FetcherVerticle();
    ExecutionException e;
    // A port held outside Vert.x (Vert.x would share a port among its own servers).
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      JsonObject config = fastConfig().put("http", new JsonObject()
          .put("port", busy.getLocalPort()));
      e = assertThrows(ExecutionException.class, () -> await(
          vertx.deployVerticle(v, new DeploymentOptions().setConfig(config))));
    }
    assertTrue(e.getCause().getMessage().startsWith("the fetcher verticle did not start"),
        e.getCause().getMessage());
    assertEquals(0, v.pendingTimers());
    assertEquals(0, v.timersLeftAtStop());
    assertTrue(vertx.deploymentIDs().isEmpty());
    // Its event-bus addresses are gone with it.
    ReplyException noHandlers = assertInstanceOf(ReplyException.class, assertThrows(
        ExecutionException.class, () -> await(vertx.eventBus().request("abrfetch.list",
            new JsonObject()))).getCause());
    assertEquals(ReplyFailure.NO_HANDLERS, noHandlers.failureType());
  }

  @Test
  void undeploy_closesSessionsAnswersPendingRequestsAndLeavesNothing() throws Exception {
    // A slow link: segment fetches are on the wire most of the time.
    startOrigin(OriginOptions.builder().ladder(ladder().build())
        .shaping(LinkShaping.fixedRate(400_000, LinkShaping.Scope.PER_CONNECTION)));
    deploy(fastConfig().put("shutdownTimeoutMs", 8_000));
    String first = openMaster().getString("id");
    String second = openMaster().getString("id");
    waitFor(() -> verticle.downloader().inFlight() > 0 && origin.stats().activeRequests() > 0,
        10_000, "fetches in flight");

    // Two more opens wait on a master playlist that answers in 20 s: one over HTTP, one on the
    // event bus. Undeploying must answer each of them once, with 503.
    long mastersBefore = origin.stats().requests("/hls/master.m3u8");
    origin.faults().add("/hls/master.m3u8", new Fault.DelayFirstByte(Duration.ofSeconds(20)), 2);
    CompletableFuture<HttpResponse<String>> httpOpen = http.sendAsync(
        HttpRequest.newBuilder(URI.create(baseUrl() + "/sessions"))
            .POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
                .put("url", origin.masterPlaylistUrl()).encode()))
            .build(), HttpResponse.BodyHandlers.ofString());
    CompletableFuture<Message<Object>> busOpen = vertx.eventBus().request(address("open"),
        new JsonObject().put("url", origin.masterPlaylistUrl()),
        new DeliveryOptions().setSendTimeout(30_000)).toCompletionStage().toCompletableFuture();
    waitFor(() -> origin.stats().requests("/hls/master.m3u8") == mastersBefore + 2, 10_000,
        "both delayed opens reached the origin");
    assertEquals(4, request("list", new JsonObject()).getJsonArray("sessions").size());

    int port = verticle.httpPort();
    long startNanos = System.nanoTime();
    undeploy();
    long undeployMs = (System.nanoTime() - startNanos) / 1_000_000;

    assertTrue(undeployMs < 8_000, "undeploy hit its deadline: " + undeployMs + " ms");
    HttpResponse<String> httpAnswer = httpOpen.get(5, TimeUnit.SECONDS);
    assertEquals(503, httpAnswer.statusCode(), httpAnswer.body());
    ExecutionException busAnswer = assertThrows(ExecutionException.class,
        () -> busOpen.get(5, TimeUnit.SECONDS));
    assertEquals(503, assertInstanceOf(ReplyException.class, busAnswer.getCause())
        .failureCode());

    assertEquals(0, verticle.downloader().inFlight(), "downloader in flight");
    assertEquals(0, verticle.downloader().queueDepth(), "downloader queue");
    waitFor(() -> origin.stats().activeRequests() == 0, 3_000,
        "the origin sees no request in flight");
    assertEquals(0, verticle.timersLeftAtStop(), "timers still pending at the last stop step");
    assertEquals(0, verticle.pendingTimers(), "timers pending after undeploy");
    assertEquals(-1, verticle.httpPort());

    ReplyException gone = requestFailure("status", new JsonObject().put("id", first));
    assertEquals(ReplyFailure.NO_HANDLERS, gone.failureType());
    ExecutionException refused = assertThrows(ExecutionException.class, () -> http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
        HttpResponse.BodyHandlers.ofString()).get(5, TimeUnit.SECONDS));
    assertInstanceOf(ConnectException.class, refused.getCause());
    String scrape = verticle.meterRegistry().scrape();
    assertTrue(!scrape.contains("abrfetch_serve_sessions"), "the sessions gauge is removed");
    assertTrue(!scrape.contains("abrfetch_abr_bandwidth_estimate"),
        "every estimate gauge is removed: " + scrape);
    assertTrue(second.startsWith("s") && !second.equals(first));
  }
}
