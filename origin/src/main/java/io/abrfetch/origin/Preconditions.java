package io.abrfetch.origin;

/** Argument checks with one message format: {@code "name: value (expected: ...)"}. */
final class Preconditions {

  private Preconditions() {}

  /** Throws {@link IllegalArgumentException} with the formatted message when {@code condition} is false. */
  static void checkArgument(boolean condition, String messageFormat, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(messageFormat, args));
    }
  }
}
