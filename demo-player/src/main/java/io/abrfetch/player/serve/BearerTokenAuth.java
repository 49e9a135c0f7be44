package io.abrfetch.player.serve;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lets a request through only when it carries {@code Authorization: Bearer <token>} with the
 * configured token; else answers 401 with {@code WWW-Authenticate: Bearer}. The comparison is in
 * constant time: both sides are hashed to SHA-256 first, so neither the content nor the length of
 * the token leaks through timing.
 *
 * <p>Threading: stateless after construction; runs on the HTTP server's event loop.
 */
final class BearerTokenAuth implements Handler<RoutingContext> {

  private static final String SCHEME = "bearer ";

  private final byte[] expectedDigest;

  BearerTokenAuth(String token) {
    this.expectedDigest = sha256(token);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (matches(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      ctx.next();
      return;
    }
    ctx.response()
        .setStatusCode(401)
        .putHeader("WWW-Authenticate", "Bearer realm=\"abrfetch\"")
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("status", 401)
            .put("error", "expected the header 'Authorization: Bearer <token>' with the "
                + "configured token").encode());
  }

  /** Whether an {@code Authorization} header value (null when absent) presents the token. */
  boolean matches(String authorization) {
    if (authorization == null || authorization.length() <= SCHEME.length()
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return false;
    }
    String presented = authorization.substring(SCHEME.length()).strip();
    return MessageDigest.isEqual(expectedDigest, sha256(presented));
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
