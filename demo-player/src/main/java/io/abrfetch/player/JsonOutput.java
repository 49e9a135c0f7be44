package io.abrfetch.player;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;

/** Prints a command's final JSON object: one line, flushed. */
final class JsonOutput {
  private JsonOutput() {}

  static void print(PrintWriter out, JsonObject json) {
    out.println(json.encode());
    out.flush();
  }
}
