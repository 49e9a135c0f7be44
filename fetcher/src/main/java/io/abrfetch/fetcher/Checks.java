package io.abrfetch.fetcher;

/** The one argument-check format of this package: "name: value (expected: rule)". */
final class Checks {
  private Checks() {}

  static void checkArgument(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(format, args));
    }
  }

  static <T> T checkNotNull(T value, String name) {
    if (value == null) {
      throw new NullPointerException(name + " (expected: non-null)");
    }
    return value;
  }
}
