package io.abrfetch.player.load.cluster;

import io.vertx.core.json.JsonObject;

/** Field checks shared by the protocol's message records. Stateless. */
final class ClusterMessages {

  private ClusterMessages() {}

  static void checkProtocol(JsonObject json) {
    Integer version = json.getInteger("protocol");
    if (version == null || version != ClusterAddresses.PROTOCOL_VERSION) {
      throw new IllegalArgumentException("cluster protocol version " + version + " (expected: "
          + ClusterAddresses.PROTOCOL_VERSION + "; run the same abrfetch version everywhere)");
    }
  }

  static String requiredString(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof String text) || text.isEmpty()) {
      throw new IllegalArgumentException("cluster message field " + field + ": " + value
          + " (expected: a non-empty string)");
    }
    return text;
  }

  static long requiredLong(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException("cluster message field " + field + ": " + value
          + " (expected: a number)");
    }
    return number.longValue();
  }
}
