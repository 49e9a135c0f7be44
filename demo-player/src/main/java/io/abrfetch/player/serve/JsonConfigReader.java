package io.abrfetch.player.serve;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads one JSON object of a config document (or of an API request body) with typed getters that
 * name the key path in every error, and rejects the keys nobody read ({@link #finish()}).
 *
 * <p>Absent keys and explicit {@code null} take the default, except where a getter says
 * otherwise. Integers must be integral JSON numbers ({@code 3} or {@code 3.0}, never {@code "3"}).
 *
 * <p>Not thread-safe; one reader per parse.
 */
final class JsonConfigReader {

  private final JsonObject json;
  private final String path;
  private final Set<String> known = new LinkedHashSet<>();

  private JsonConfigReader(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  /** A reader of the whole document; key paths start at its keys. */
  static JsonConfigReader root(JsonObject json) {
    return new JsonConfigReader(json == null ? new JsonObject() : json, "");
  }

  /** The dotted path of this object ({@code ""} for the root). */
  String path() {
    return path;
  }

  /** The dotted path of {@code key} in this object. */
  String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The nested object at {@code key}; absent or null reads as an empty object. */
  JsonConfigReader section(String key) {
    Object value = value(key);
    if (value == null) {
      return new JsonConfigReader(new JsonObject(), pathOf(key));
    }
    if (!(value instanceof JsonObject object)) {
      throw bad(key, "expected an object", value);
    }
    return new JsonConfigReader(object, pathOf(key));
  }

  /** An integer {@code >= min}; {@code min == 1} is worded "a positive integer". */
  int intAtLeast(String key, int min, int defaultValue) {
    long value = longAtLeast(key, min, defaultValue);
    if (value > Integer.MAX_VALUE) {
      throw bad(key, "expected " + integerWording(min) + " up to " + Integer.MAX_VALUE, value);
    }
    return (int) value;
  }

  /** An integer in {@code [min, max]}. */
  int intBetween(String key, int min, int max, int defaultValue) {
    Object value = value(key);
    if (value == null) {
      return defaultValue;
    }
    Long number = integral(value);
    if (number == null || number < min || number > max) {
      throw bad(key, "expected an integer from " + min + " to " + max, value);
    }
    return number.intValue();
  }

  /** A long {@code >= min}; {@code min == 1} is worded "a positive integer". */
  long longAtLeast(String key, long min, long defaultValue) {
    Object value = value(key);
    if (value == null) {
      return defaultValue;
    }
    Long number = integral(value);
    if (number == null || number < min) {
      throw bad(key, "expected " + integerWording(min), value);
    }
    return number;
  }

  /** A finite number {@code > 0}. */
  double positiveNumber(String key, double defaultValue) {
    Object value = value(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number number) || !(number.doubleValue() > 0)
        || Double.isInfinite(number.doubleValue())) {
      throw bad(key, "expected a positive number", value);
    }
    return number.doubleValue();
  }

  /** A number in {@code [min, max]}. */
  double numberBetween(String key, double min, double max, double defaultValue) {
    Object value = value(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number number) || !(number.doubleValue() >= min)
        || !(number.doubleValue() <= max)) {
      throw bad(key, "expected a number from " + min + " to " + max, value);
    }
    return number.doubleValue();
  }

  boolean bool(String key, boolean defaultValue) {
    Object value = value(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean b)) {
      throw bad(key, "expected true or false", value);
    }
    return b;
  }

  /** A non-blank string without leading or trailing blanks, or the default (may be null). */
  String string(String key, String defaultValue) {
    Object value = value(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof String s) || s.isBlank() || !s.strip().equals(s)) {
      throw bad(key, "expected a non-blank string without surrounding spaces", value);
    }
    return s;
  }

  /** A string that must be present. */
  String requiredString(String key) {
    String value = string(key, null);
    if (value == null) {
      throw new ServeConfigException(pathOf(key), "required");
    }
    return value;
  }

  /** One of {@code allowed}, matched case-insensitively, returned as listed in {@code allowed}. */
  String oneOf(String key, List<String> allowed, String defaultValue) {
    Object value = value(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof String s) {
      for (String candidate : allowed) {
        if (candidate.equalsIgnoreCase(s)) {
          return candidate;
        }
      }
    }
    throw bad(key, "expected one of " + allowed, value);
  }

  /** Whether {@code key} is present with a non-null value (it counts as read). */
  boolean has(String key) {
    return value(key) != null;
  }

  /** Fails on every key no getter asked for; call after reading everything. */
  void finish() {
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        throw new ServeConfigException(pathOf(key),
            "unknown key (expected one of " + known + ")");
      }
    }
  }

  /** An error about {@code key}, for checks that span keys. */
  ServeConfigException error(String key, String problem) {
    return new ServeConfigException(pathOf(key), problem);
  }

  private Object value(String key) {
    known.add(key);
    return json.getValue(key);
  }

  private ServeConfigException bad(String key, String expected, Object got) {
    return new ServeConfigException(pathOf(key), expected + ", got " + describe(got));
  }

  private static String integerWording(long min) {
    return min == 1 ? "a positive integer" : "an integer >= " + min;
  }

  /** The value as a long when it is an integral number in range, else null. */
  private static Long integral(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    try {
      if (value instanceof BigInteger big) {
        return big.longValueExact();
      }
      if (value instanceof BigDecimal big) {
        return big.longValueExact();
      }
      if (value instanceof Double || value instanceof Float) {
        return new BigDecimal(((Number) value).toString()).longValueExact();
      }
    } catch (ArithmeticException | NumberFormatException notIntegral) {
      return null;
    }
    return null;
  }

  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return "\"" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "\"";
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    return value.toString();
  }
}
