package io.abrfetch.player.serve;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.IntSupplier;

/**
 * The HTTP front end of a {@link FetcherVerticle}: the session routes over {@link SessionApi},
 * {@code /metrics} (Prometheus text) and {@code /health}.
 *
 * <pre>
 * POST   /sessions                {"url": ..., ...}            201 status
 * GET    /sessions                                             200 {"sessions": [...]}
 * GET    /sessions/{id}                                        200 status
 * PUT    /sessions/{id}/variant   {"mode":"manual","index":n}  200 status
 * PUT    /sessions/{id}/cap       {"capBps": n | null}         200 status
 * DELETE /sessions/{id}                                        200 result
 * GET    /metrics                                              200 Prometheus text
 * GET    /health                                               200 {"status":"UP","sessions":n}
 * </pre>
 *
 * Errors are JSON {@code {"status": n, "error": message}}: 400 bad body or field, 401 missing or
 * wrong token, 404 unknown path or session, 405 wrong method, 413 body over the limit, 429 too
 * many sessions, 502 the stream could not be opened, 503 shutting down.
 *
 * <p>Threading: the handlers run on the verticle's event loop, where {@link SessionApi} lives.
 */
final class HttpApi {

  static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final System.Logger LOG = System.getLogger(HttpApi.class.getName());

  private HttpApi() {}

  /**
   * The router.
   *
   * @param sessionCount the number reported by {@code /health}
   */
  static Router router(Vertx vertx, ServeConfig.Http config, SessionApi api,
      PrometheusMeterRegistry registry, IntSupplier sessionCount) {
    Router router = Router.router(vertx);
    // Liveness needs no token, so a load balancer's probe can use it.
    router.get("/health").handler(ctx -> json(ctx.response(), 200,
        new JsonObject().put("status", "UP").put("sessions", sessionCount.getAsInt())));
    if (config.token() != null) {
      router.route().handler(new BearerTokenAuth(config.token()));
    }
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));

    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE)
        .end(registry.scrape()));
    router.post("/sessions").handler(ctx -> answer(ctx, 201, body(ctx).compose(api::open)));
    router.get("/sessions").handler(ctx -> answer(ctx, 200, api.list()));
    router.get("/sessions/:id").handler(ctx -> answer(ctx, 200, api.status(id(ctx))));
    router.put("/sessions/:id/variant").handler(ctx -> answer(ctx, 200,
        body(ctx).compose(b -> api.setVariant(id(ctx), b))));
    router.put("/sessions/:id/cap").handler(ctx -> answer(ctx, 200,
        body(ctx).compose(b -> api.setCap(id(ctx), b))));
    router.delete("/sessions/:id").handler(ctx -> answer(ctx, 200, api.close(id(ctx))));

    router.errorHandler(404, ctx -> error(ctx.response(), 404,
        "no such resource: " + ctx.request().method() + " " + ctx.request().path()));
    router.errorHandler(405, ctx -> error(ctx.response(), 405,
        "method " + ctx.request().method() + " not allowed on " + ctx.request().path()));
    router.errorHandler(413, ctx -> error(ctx.response(), 413,
        "request body over " + config.maxBodyBytes() + " bytes"));
    router.errorHandler(500, ctx -> {
      if (ctx.failure() != null) {
        LOG.log(System.Logger.Level.ERROR, "HTTP handler failed", ctx.failure());
      }
      error(ctx.response(), 500, "internal error");
    });
    return router;
  }

  private static String id(RoutingContext ctx) {
    return ctx.pathParam("id");
  }

  /** The request body as a JSON object; 400 when it is empty or anything else. */
  private static Future<JsonObject> body(RoutingContext ctx) {
    Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      return Future.failedFuture(ApiException.badRequest("body: expected a JSON object, got "
          + "nothing"));
    }
    try {
      Object value = buffer.toJsonValue();
      if (value instanceof JsonObject object) {
        return Future.succeededFuture(object);
      }
      return Future.failedFuture(ApiException.badRequest("body: expected a JSON object, got "
          + JsonConfigReader.describe(value)));
    } catch (DecodeException e) {
      return Future.failedFuture(ApiException.badRequest("body: expected a JSON object, got "
          + "invalid JSON"));
    }
  }

  private static void answer(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onComplete(
        value -> json(ctx.response(), status, value),
        failure -> {
          int code = ApiException.statusOf(failure);
          if (code == ApiException.INTERNAL) {
            LOG.log(System.Logger.Level.ERROR, "API operation failed", failure);
          }
          error(ctx.response(), code, ApiException.messageOf(failure));
        });
  }

  private static void error(HttpServerResponse response, int status, String message) {
    json(response, status, new JsonObject().put("status", status).put("error", message));
  }

  /** Ends the response once; a response already ended or whose connection closed is left be. */
  private static void json(HttpServerResponse response, int status, JsonObject body) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.encode());
  }
}
