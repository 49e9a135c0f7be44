package io.abrfetch.player.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP API: routes and status codes, the token rule, /metrics and /health. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpApiTest extends ServeTestBase {

  @Test
  void sessionRoutes_openListSteerAndClose() throws Exception {
    startOrigin();
    deploy(fastConfig());

    HttpResponse<String> created = send("POST", "/sessions",
        new JsonObject().put("url", origin.masterPlaylistUrl()).encode());
    assertEquals(201, created.statusCode(), created.body());
    assertEquals("application/json", created.headers().firstValue("Content-Type").orElseThrow());
    String id = new JsonObject(created.body()).getString("id");

    HttpResponse<String> list = send("GET", "/sessions", null);
    assertEquals(200, list.statusCode());
    assertEquals(id, new JsonObject(list.body()).getJsonArray("sessions").getJsonObject(0)
        .getString("id"));

    waitForStatus(id, s -> s.getLong("segments") >= 1, 10_000);
    HttpResponse<String> status = send("GET", "/sessions/" + id, null);
    assertEquals(200, status.statusCode());
    JsonObject statusJson = new JsonObject(status.body());
    assertTrue(statusJson.getLong("segments") >= 1, status.body());
    assertTrue(statusJson.containsKey("bufferMs") && statusJson.containsKey("estimateBps")
        && statusJson.containsKey("stalls"), status.body());

    HttpResponse<String> manual = send("PUT", "/sessions/" + id + "/variant",
        "{\"mode\": \"manual\", \"index\": 0}");
    assertEquals(200, manual.statusCode(), manual.body());
    waitForStatus(id, s -> s.getInteger("variantIndex") == 0, 10_000);
    HttpResponse<String> auto = send("PUT", "/sessions/" + id + "/variant", "{\"mode\": \"auto\"}");
    assertEquals("auto", new JsonObject(auto.body()).getJsonObject("abr").getString("mode"));
    HttpResponse<String> cap = send("PUT", "/sessions/" + id + "/cap", "{\"capBps\": 300000}");
    assertEquals(200, cap.statusCode());
    assertEquals(300_000, new JsonObject(cap.body()).getJsonObject("abr").getLong("capBps"));

    HttpResponse<String> closed = send("DELETE", "/sessions/" + id, null);
    assertEquals(200, closed.statusCode(), closed.body());
    assertEquals("closed", new JsonObject(closed.body()).getJsonObject("result")
        .getString("endReason"));
    assertEquals(404, send("GET", "/sessions/" + id, null).statusCode());
    assertEquals(404, send("DELETE", "/sessions/" + id, null).statusCode());
  }

  @Test
  void badRequests_getStatusCodesAndMessages() throws Exception {
    startOrigin();
    deploy(fastConfig().put("http", new JsonObject().put("port", 0).put("maxBodyBytes", 1024)));

    HttpResponse<String> noUrl = send("POST", "/sessions", "{}");
    assertEquals(400, noUrl.statusCode());
    assertEquals(new JsonObject().put("status", 400).put("error", "url: required"),
        new JsonObject(noUrl.body()));
    HttpResponse<String> badBuffer = send("POST", "/sessions",
        new JsonObject().put("url", origin.masterPlaylistUrl()).put("targetBufferMs", -3)
            .encode());
    assertEquals(400, badBuffer.statusCode());
    assertEquals("targetBufferMs: expected a positive integer, got -3",
        new JsonObject(badBuffer.body()).getString("error"));
    assertEquals(400, send("POST", "/sessions", "not json").statusCode());
    assertEquals(400, send("POST", "/sessions", "[1, 2]").statusCode());
    assertEquals(400, send("POST", "/sessions", null).statusCode());
    assertEquals(502, send("POST", "/sessions", new JsonObject()
        .put("url", origin.baseUrl() + "/hls/none.m3u8").encode()).statusCode());

    assertEquals(404, send("GET", "/sessions/s42", null).statusCode());
    assertEquals(404, send("PUT", "/sessions/s42/cap", "{\"capBps\": 1}").statusCode());
    assertEquals(404, send("GET", "/nothing", null).statusCode());

    HttpResponse<String> wrongMethod = send("PATCH", "/sessions", "{}");
    assertEquals(405, wrongMethod.statusCode());
    assertEquals(405, new JsonObject(wrongMethod.body()).getInteger("status"));
    assertEquals(405, send("POST", "/sessions/s1", "{}").statusCode());
    assertEquals(405, send("DELETE", "/metrics", null).statusCode());

    String huge = new JsonObject().put("url", origin.masterPlaylistUrl())
        .put("padding", "x".repeat(4_096)).encode();
    HttpResponse<String> tooLarge = send("POST", "/sessions", huge);
    assertEquals(413, tooLarge.statusCode());
    assertEquals("request body over 1024 bytes",
        new JsonObject(tooLarge.body()).getString("error"));
    // Nothing was opened by any of these.
    assertEquals(0, new JsonObject(send("GET", "/sessions", null).body())
        .getJsonArray("sessions").size());
  }

  @Test
  void token_isRequiredEverywhereButHealth() throws Exception {
    startOrigin();
    deploy(fastConfig().put("http", new JsonObject().put("port", 0).put("token", TOKEN)));

    HttpResponse<String> none = send("GET", "/sessions", null);
    assertEquals(401, none.statusCode());
    assertEquals("Bearer realm=\"abrfetch\"",
        none.headers().firstValue("WWW-Authenticate").orElseThrow());
    assertEquals(401, send("GET", "/sessions", null, TOKEN + "x").statusCode());
    assertEquals(401, send("GET", "/sessions", null, "short").statusCode());
    assertEquals(401, send("GET", "/metrics", null, null).statusCode());
    assertEquals(401, send("POST", "/sessions", new JsonObject()
        .put("url", origin.masterPlaylistUrl()).encode(), null).statusCode());
    assertEquals(401, send("GET", "/nothing", null, null).statusCode());
    assertEquals(0, verticle.serveConfig() == null ? -1 : sessionCount());

    assertEquals(200, send("GET", "/sessions", null, TOKEN).statusCode());
    assertEquals(200, send("GET", "/metrics", null, TOKEN).statusCode());
    HttpResponse<String> health = send("GET", "/health", null, null);
    assertEquals(200, health.statusCode());
    assertEquals(new JsonObject().put("status", "UP").put("sessions", 0),
        new JsonObject(health.body()));

    BearerTokenAuth auth = new BearerTokenAuth(TOKEN);
    assertTrue(auth.matches("Bearer " + TOKEN));
    assertTrue(auth.matches("bearer " + TOKEN));
    assertTrue(!auth.matches("Basic " + TOKEN) && !auth.matches(TOKEN) && !auth.matches(null)
        && !auth.matches("Bearer ") && !auth.matches("Bearer " + TOKEN.substring(1)));
  }

  @Test
  void metrics_showDownloaderMeters_afterASessionFetched() throws Exception {
    startOrigin();
    deploy(fastConfig());
    String id = openMaster().getString("id");
    waitForStatus(id, s -> s.getLong("segments") >= 2, 10_000);

    HttpResponse<String> health = send("GET", "/health", null);
    assertEquals(new JsonObject().put("status", "UP").put("sessions", 1),
        new JsonObject(health.body()));

    HttpResponse<String> metrics = send("GET", "/metrics", null);
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.headers().firstValue("Content-Type").orElseThrow()
        .startsWith("text/plain; version=0.0.4"));
    String text = metrics.body();
    Matcher bytes = Pattern.compile("(?m)^abrfetch_fetch_bytes_total\\{downloader=\"downloader\"}"
        + " ([0-9.E]+)$").matcher(text);
    assertTrue(bytes.find(), text);
    assertTrue(Double.parseDouble(bytes.group(1)) > 0, bytes.group());
    for (String name : new String[] {"abrfetch_fetch_duration_seconds_count",
        "abrfetch_fetch_first_byte_seconds_count", "abrfetch_fetch_in_flight",
        "abrfetch_abr_bandwidth_estimate", "abrfetch_serve_sessions 1.0"}) {
      assertTrue(text.contains(name), name + " in\n" + text);
    }
    // The link-wide estimate and the session's own.
    assertEquals(2, estimateGauges(text), text);
    send("DELETE", "/sessions/" + id, null);
    String after = send("GET", "/metrics", null).body();
    assertTrue(after.contains("abrfetch_serve_sessions 0.0"), after);
    assertEquals(1, estimateGauges(after), "the closed session's estimate gauge is gone");
    assertTrue(after.contains("abrfetch_abr_switches_total"), "switch counters stay");
  }

  private static long estimateGauges(String scrape) {
    return scrape.lines().filter(l -> l.startsWith("abrfetch_abr_bandwidth_estimate")).count();
  }

  private int sessionCount() throws Exception {
    return request("list", new JsonObject()).getJsonArray("sessions").size();
  }
}
