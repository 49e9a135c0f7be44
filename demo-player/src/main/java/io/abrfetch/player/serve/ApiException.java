package io.abrfetch.player.serve;

/**
 * A refused API request with its HTTP-style status: the HTTP API answers it with that status and
 * a JSON body {@code {"status": n, "error": message}}, the event-bus API fails the message with a
 * {@link io.vertx.core.eventbus.ReplyException} whose {@code failureCode()} is the same status.
 */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  static final int BAD_REQUEST = 400;
  static final int NOT_FOUND = 404;
  static final int CONFLICT = 409;
  static final int TOO_MANY = 429;
  static final int INTERNAL = 500;
  static final int BAD_GATEWAY = 502;
  static final int UNAVAILABLE = 503;

  private final int status;

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(BAD_REQUEST, message);
  }

  static ApiException unknownSession(String id) {
    return new ApiException(NOT_FOUND, "session " + JsonConfigReader.describe(id)
        + ": no such session");
  }

  /** The status of any failure an API operation ends with. */
  static int statusOf(Throwable failure) {
    if (failure instanceof ApiException api) {
      return api.status;
    }
    if (failure instanceof ServeConfigException || failure instanceof IllegalArgumentException) {
      return BAD_REQUEST;
    }
    return INTERNAL;
  }

  /** The message shown for any failure (internal ones keep their type name). */
  static String messageOf(Throwable failure) {
    String message = failure.getMessage();
    if (failure instanceof ApiException || failure instanceof IllegalArgumentException) {
      return message;
    }
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  int status() {
    return status;
  }
}
