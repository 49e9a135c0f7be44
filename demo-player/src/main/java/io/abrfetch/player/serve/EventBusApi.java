package io.abrfetch.player.serve;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The event-bus front end of a {@link FetcherVerticle}: one request/reply address per operation
 * of {@link SessionApi}, each taking and answering a {@link JsonObject}.
 *
 * <pre>
 * &lt;prefix&gt;.open     {"url": ..., "policy"?, "targetBufferMs"?, "audio"?, ...}  -> status
 * &lt;prefix&gt;.list     {}                                                 -> {"sessions": [...]}
 * &lt;prefix&gt;.status   {"id": ...}                                        -> status
 * &lt;prefix&gt;.variant  {"id": ..., "mode": "manual", "index": n} | {"id": ..., "mode": "auto"}
 * &lt;prefix&gt;.cap      {"id": ..., "capBps": n | null}                    -> status
 * &lt;prefix&gt;.close    {"id": ...}                                        -> result
 * </pre>
 *
 * A refused request fails with a {@link io.vertx.core.eventbus.ReplyException} of type
 * {@code RECIPIENT_FAILURE} whose {@code failureCode()} is the HTTP-style status of
 * {@link ApiException} (400, 404, 429, 502, 503, 500) and whose message says why.
 *
 * <p>Threading: the consumers are registered on, and run on, the verticle's context.
 */
final class EventBusApi {

  static final List<String> OPERATIONS = List.of("open", "list", "status", "variant", "cap",
      "close");

  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  private EventBusApi() {}

  /** Registers every address; completes when the registrations have propagated. */
  static Future<EventBusApi> register(EventBus bus, ServeConfig.EventBus config, SessionApi api) {
    EventBusApi out = new EventBusApi();
    out.consume(bus, config.address("open"), (id, body) -> api.open(body), false);
    out.consume(bus, config.address("list"), (id, body) -> api.list(), false);
    out.consume(bus, config.address("status"), (id, body) -> api.status(id), true);
    out.consume(bus, config.address("variant"), api::setVariant, true);
    out.consume(bus, config.address("cap"), api::setCap, true);
    out.consume(bus, config.address("close"), (id, body) -> api.close(id), true);
    List<Future<Void>> done = new ArrayList<>();
    for (MessageConsumer<Object> consumer : out.consumers) {
      done.add(consumer.completion());
    }
    return Future.all(done).map(out);
  }

  /** Unregisters every address. */
  Future<Void> unregister() {
    List<Future<Void>> done = new ArrayList<>();
    for (MessageConsumer<Object> consumer : consumers) {
      done.add(consumer.unregister());
    }
    return Future.all(done).mapEmpty();
  }

  private void consume(EventBus bus, String address,
      BiFunction<String, JsonObject, Future<JsonObject>> operation, boolean needsId) {
    consumers.add(bus.consumer(address, message -> handle(message, operation, needsId)));
  }

  private static void handle(Message<Object> message,
      BiFunction<String, JsonObject, Future<JsonObject>> operation, boolean needsId) {
    Future<JsonObject> result;
    try {
      JsonObject body = body(message.body());
      String id = null;
      if (needsId) {
        Object value = body.getValue("id");
        if (!(value instanceof String s) || s.isEmpty()) {
          throw ApiException.badRequest("id: expected a session id, got "
              + JsonConfigReader.describe(value));
        }
        id = s;
        body = body.copy();
        body.remove("id");
      }
      result = operation.apply(id, body);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(
        message::reply,
        failure -> message.fail(ApiException.statusOf(failure), ApiException.messageOf(failure)));
  }

  private static JsonObject body(Object body) {
    if (body == null) {
      return new JsonObject();
    }
    if (body instanceof JsonObject object) {
      return object;
    }
    if (body instanceof String s) {
      try {
        return new JsonObject(s);
      } catch (RuntimeException e) {
        throw ApiException.badRequest("body: expected a JSON object, got invalid JSON");
      }
    }
    throw ApiException.badRequest("body: expected a JSON object, got a "
        + body.getClass().getSimpleName());
  }
}
