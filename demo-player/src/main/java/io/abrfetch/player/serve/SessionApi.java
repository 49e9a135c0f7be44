package io.abrfetch.player.serve;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The operations both front ends offer, in JSON: the HTTP routes and the event-bus addresses are
 * thin adapters over it. Every operation answers a JSON object or fails its future (it never
 * throws) with an {@link ApiException} (or a {@link ServeConfigException} for a bad field, a
 * 400).
 *
 * <p>Threading: called on the verticle's context only.
 */
interface SessionApi {

  /** Opens a session: {@code {"url": ..., "policy"?, "targetBufferMs"?, "audio"?, ...}}. */
  Future<JsonObject> open(JsonObject request);

  /** {@code {"sessions": [status, ...]}}. */
  Future<JsonObject> list();

  /** One session's status. */
  Future<JsonObject> status(String sessionId);

  /** {@code {"mode": "manual", "index": n}} or {@code {"mode": "auto"}}; answers the status. */
  Future<JsonObject> setVariant(String sessionId, JsonObject request);

  /** {@code {"capBps": n}} or {@code {"capBps": null}} to lift the cap; answers the status. */
  Future<JsonObject> setCap(String sessionId, JsonObject request);

  /** Closes a session; answers its final result. */
  Future<JsonObject> close(String sessionId);

  /** Sessions open now (or opening). */
  int size();
}
