package io.abrfetch.origin;

import java.util.List;
import java.util.Objects;

/**
 * One request as the origin saw and answered it, logged when the response ended or its connection
 * closed.
 *
 * @param method the HTTP method
 * @param path the request path as received (not decoded), without the query
 * @param rangeHeader the {@code Range} header, or null
 * @param ifMatch the {@code If-Match} header, or null
 * @param ifRange the {@code If-Range} header, or null
 * @param status the status code sent, or 0 when the connection closed before the status was sent
 * @param startNanos when the request arrived, on the server's nano clock
 * @param bodyBytes body bytes written to the connection (including any overlong extra bytes)
 * @param endNanos when the response ended or the connection closed, on the server's nano clock
 * @param faults the faults applied to this request, in plan order
 * @param completed true when the whole response was written and ended normally
 * @param connectionId which connection carried it: 1 for the server's first connection, and so on
 */
public record ServedRequest(
    String method,
    String path,
    String rangeHeader,
    String ifMatch,
    String ifRange,
    int status,
    long startNanos,
    long bodyBytes,
    long endNanos,
    List<Fault> faults,
    boolean completed,
    long connectionId) {

  public ServedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    faults = List.copyOf(faults);
  }
}
