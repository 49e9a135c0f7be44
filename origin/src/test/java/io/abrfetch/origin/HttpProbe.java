package io.abrfetch.origin;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.function.LongSupplier;

/** A test client that records everything a response did, including how it broke. */
final class HttpProbe {

  /**
   * What came back.
   *
   * @param status the status, or 0 when no response head arrived
   * @param headers the response headers (empty without a head)
   * @param body the body bytes received, complete or not
   * @param errorOrNull why the exchange broke, or null when the response ended normally
   * @param headNanos when the head arrived, relative to the request start
   * @param endNanos when the body ended or broke, relative to the request start
   */
  record Result(int status, MultiMap headers, byte[] body, Throwable errorOrNull, long headNanos,
      long endNanos) {
    String header(String name) {
      return headers.get(name);
    }
  }

  private HttpProbe() {}

  static Future<Result> get(HttpClient client, String url) {
    return send(client, HttpMethod.GET, url, Map.of());
  }

  static Future<Result> get(HttpClient client, String url, Map<String, String> headers) {
    return send(client, HttpMethod.GET, url, headers);
  }

  static Future<Result> send(HttpClient client, HttpMethod method, String url,
      Map<String, String> headers) {
    LongSupplier clock = System::nanoTime;
    long start = clock.getAsLong();
    Promise<Result> done = Promise.promise();
    Buffer body = Buffer.buffer();
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url);
    headers.forEach(options::putHeader);
    // Handlers are set inside the send callback, on the request's context, so no chunk can
    // arrive before them.
    client.request(options)
        .compose(request -> request.send().map(response -> {
          long head = clock.getAsLong() - start;
          response.handler(body::appendBuffer);
          response.exceptionHandler(error -> done.tryComplete(new Result(response.statusCode(),
              response.headers(), body.getBytes(), error, head, clock.getAsLong() - start)));
          response.endHandler(unused -> done.tryComplete(new Result(response.statusCode(),
              response.headers(), body.getBytes(), null, head, clock.getAsLong() - start)));
          return response;
        }))
        .onFailure(error -> done.tryComplete(new Result(0, MultiMap.caseInsensitiveMultiMap(),
            new byte[0], error, -1, clock.getAsLong() - start)));
    return done.future();
  }
}
