package io.abrfetch.origin;

import java.time.Duration;
import java.util.Locale;

/** The command-line syntax of {@link Fault}s; see {@link Fault#parse(String)}. */
final class FaultSpec {

  private static final String SYNTAX = "delay:DUR, stall:BYTES:DUR, reset:BYTES, status:CODE[:DUR], "
      + "html, ignore-range, wrong-range, etag-change, short:BYTES, overlong:BYTES, redirect-loop";

  private FaultSpec() {}

  static Fault parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw bad(spec, "empty");
    }
    String[] parts = spec.strip().split(":", -1);
    String name = parts[0].toLowerCase(Locale.ROOT);
    try {
      return switch (name) {
        case "delay" -> {
          arity(spec, parts, 2, 2);
          yield new Fault.DelayFirstByte(duration(spec, parts[1]));
        }
        case "stall" -> {
          arity(spec, parts, 3, 3);
          yield new Fault.StallAfterBytes(bytes(spec, parts[1]), duration(spec, parts[2]));
        }
        case "reset" -> {
          arity(spec, parts, 2, 2);
          yield new Fault.ResetAfterBytes(bytes(spec, parts[1]));
        }
        case "status" -> {
          arity(spec, parts, 2, 3);
          int code = (int) bytes(spec, parts[1]);
          yield new Fault.Status(code, parts.length == 3 ? duration(spec, parts[2]) : null);
        }
        case "html" -> noArguments(spec, parts, new Fault.HtmlPage200());
        case "ignore-range" -> noArguments(spec, parts, new Fault.IgnoreRange());
        case "wrong-range" -> noArguments(spec, parts, new Fault.WrongContentRange());
        case "etag-change" -> noArguments(spec, parts, new Fault.EtagChange());
        case "redirect-loop" -> noArguments(spec, parts, new Fault.RedirectLoop());
        case "short" -> {
          arity(spec, parts, 2, 2);
          yield new Fault.ShortBody(bytes(spec, parts[1]));
        }
        case "overlong" -> {
          arity(spec, parts, 2, 2);
          yield new Fault.OverlongBody(bytes(spec, parts[1]));
        }
        default -> throw bad(spec, "unknown fault '" + parts[0] + "'");
      };
    } catch (IllegalArgumentException e) {
      throw bad(spec, e.getMessage());
    }
  }

  /** Parses {@code 500ms}, {@code 2s}, {@code 1.5s} or {@code 1m}. */
  static Duration duration(String spec, String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    long unitNanos;
    String number;
    if (value.endsWith("ms")) {
      unitNanos = 1_000_000L;
      number = value.substring(0, value.length() - 2);
    } else if (value.endsWith("s")) {
      unitNanos = 1_000_000_000L;
      number = value.substring(0, value.length() - 1);
    } else if (value.endsWith("m")) {
      unitNanos = 60_000_000_000L;
      number = value.substring(0, value.length() - 1);
    } else {
      throw bad(spec, "duration '" + text + "' (expected: a number with ms, s or m)");
    }
    try {
      double amount = Double.parseDouble(number);
      if (!(amount >= 0) || Double.isInfinite(amount)) {
        throw bad(spec, "duration '" + text + "' (expected: >= 0)");
      }
      return Duration.ofNanos(Math.round(amount * unitNanos));
    } catch (NumberFormatException e) {
      throw bad(spec, "duration '" + text + "' (expected: a number with ms, s or m)");
    }
  }

  private static long bytes(String spec, String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw bad(spec, "'" + text + "' (expected: an integer)");
    }
  }

  private static void arity(String spec, String[] parts, int min, int max) {
    if (parts.length < min || parts.length > max) {
      throw bad(spec, (parts.length - 1) + " arguments for " + parts[0]);
    }
  }

  private static Fault noArguments(String spec, String[] parts, Fault fault) {
    arity(spec, parts, 1, 1);
    return fault;
  }

  private static OriginException bad(String spec, String reason) {
    return new OriginException(OriginException.Kind.FAULT_SPEC,
        "fault '" + spec + "': " + reason + " (expected one of: " + SYNTAX + ")");
  }
}
