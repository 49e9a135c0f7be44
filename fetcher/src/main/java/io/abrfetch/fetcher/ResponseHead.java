package io.abrfetch.fetcher;

import io.vertx.core.MultiMap;

/**
 * The status line and headers of one response, as a {@link ResponseValidator} sees them.
 *
 * @param url the absolute URL that answered (after redirects)
 * @param statusCode HTTP status
 * @param headers response headers (case-insensitive, read-only by convention)
 */
public record ResponseHead(String url, int statusCode, MultiMap headers) {

  /** The {@code Content-Type} header, or an empty string when absent. */
  public String contentType() {
    String value = headers.get("Content-Type");
    return value == null ? "" : value;
  }
}
