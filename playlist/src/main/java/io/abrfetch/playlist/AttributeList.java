package io.abrfetch.playlist;

import io.abrfetch.playlist.PlaylistException.Kind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One tag's attribute list (RFC 8216 section 4.2), parsed strictly so that every malformed value
 * is reported with its line before the m3u8 library sees it.
 */
final class AttributeList {

  private static final Pattern NAME = Pattern.compile("[A-Z0-9-]+");
  private static final Pattern DECIMAL_INTEGER = Pattern.compile("[0-9]+");
  private static final Pattern DECIMAL_FLOAT = Pattern.compile("[0-9]+(\\.[0-9]*)?|\\.[0-9]+");
  private static final Pattern SIGNED_FLOAT = Pattern.compile("-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)");
  private static final Pattern RESOLUTION = Pattern.compile("([0-9]+)x([0-9]+)");
  private static final Pattern HEX_IV = Pattern.compile("0[xX][0-9a-fA-F]{1,32}");
  private static final Pattern CHANNELS = Pattern.compile("([0-9]+)(/.*)?");

  private record Value(String text, boolean quoted) {}

  private final String tag;
  private final int lineNumber;
  private final Map<String, Value> values;

  private AttributeList(String tag, int lineNumber, Map<String, Value> values) {
    this.tag = tag;
    this.lineNumber = lineNumber;
    this.values = values;
  }

  /** Parses {@code text}, the part of the line after {@code #TAG:}. */
  static AttributeList parse(String tag, String text, int lineNumber) {
    Map<String, Value> values = new LinkedHashMap<>();
    int pos = 0;
    int length = text.length();
    while (pos < length) {
      int eq = text.indexOf('=', pos);
      if (eq < 0) {
        throw new PlaylistException(Kind.BAD_ATTRIBUTE, lineNumber,
            "#" + tag + ": '" + text.substring(pos) + "' (expected: NAME=value)");
      }
      String name = text.substring(pos, eq);
      if (!NAME.matcher(name).matches()) {
        throw new PlaylistException(Kind.BAD_ATTRIBUTE, lineNumber,
            "#" + tag + ": attribute name '" + name + "' (expected: A-Z, 0-9 and '-')");
      }
      pos = eq + 1;
      Value value;
      if (pos < length && text.charAt(pos) == '"') {
        int close = text.indexOf('"', pos + 1);
        if (close < 0) {
          throw new PlaylistException(Kind.BAD_ATTRIBUTE, lineNumber,
              "#" + tag + ": " + name + " has an unterminated quoted string (expected: a closing '\"')");
        }
        value = new Value(text.substring(pos + 1, close), true);
        pos = close + 1;
        if (pos < length && text.charAt(pos) != ',') {
          throw new PlaylistException(Kind.BAD_ATTRIBUTE, lineNumber,
              "#" + tag + ": text after the quoted " + name + " (expected: ',' or end of line)");
        }
      } else {
        int comma = text.indexOf(',', pos);
        int end = comma < 0 ? length : comma;
        String raw = text.substring(pos, end);
        if (raw.isEmpty() || raw.indexOf('"') >= 0 || raw.indexOf(' ') >= 0) {
          throw new PlaylistException(Kind.BAD_ATTRIBUTE, lineNumber,
              "#" + tag + ": " + name + "='" + raw + "' (expected: a non-empty unquoted value)");
        }
        value = new Value(raw, false);
        pos = end;
      }
      if (values.put(name, value) != null) {
        throw new PlaylistException(Kind.BAD_ATTRIBUTE, lineNumber,
            "#" + tag + ": " + name + " appears twice (expected: once)");
      }
      if (pos < length) {
        pos++; // the comma
        if (pos == length) {
          throw new PlaylistException(Kind.BAD_ATTRIBUTE, lineNumber,
              "#" + tag + ": trailing ',' (expected: another attribute)");
        }
      }
    }
    return new AttributeList(tag, lineNumber, values);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  private PlaylistException bad(String name, String text, String expected) {
    return new PlaylistException(Kind.BAD_ATTRIBUTE, lineNumber,
        "#" + tag + ": " + name + "=" + text + " (expected: " + expected + ")");
  }

  private Value require(String name) {
    Value value = values.get(name);
    if (value == null) {
      throw new PlaylistException(Kind.BAD_ATTRIBUTE, lineNumber,
          "#" + tag + ": " + name + " is missing (expected: a " + name + " attribute)");
    }
    return value;
  }

  /** Checks that {@code name} is a non-empty quoted string, when present or when required. */
  void quoted(String name, boolean required) {
    Value value = required ? require(name) : values.get(name);
    if (value == null) {
      return;
    }
    if (!value.quoted()) {
      throw bad(name, value.text(), "a quoted string");
    }
    if (value.text().isEmpty()) {
      throw bad(name, "\"\"", "a non-empty quoted string");
    }
  }

  /** Checks that {@code name} is one of {@code allowed}, unquoted. */
  void enumerated(String name, boolean required, Set<String> allowed) {
    Value value = required ? require(name) : values.get(name);
    if (value == null) {
      return;
    }
    if (value.quoted() || !allowed.contains(value.text())) {
      throw bad(name, value.quoted() ? '"' + value.text() + '"' : value.text(), "one of " + allowed);
    }
  }

  /** The unquoted enumerated value of {@code name}, or null when absent. */
  String enumeratedValue(String name) {
    Value value = values.get(name);
    return value == null || value.quoted() ? null : value.text();
  }

  void yesNo(String name) {
    enumerated(name, false, Set.of("YES", "NO"));
  }

  /** Checks a decimal integer within {@code [min, max]}. */
  void decimalInteger(String name, boolean required, long min, long max) {
    Value value = required ? require(name) : values.get(name);
    if (value == null) {
      return;
    }
    if (value.quoted() || !DECIMAL_INTEGER.matcher(value.text()).matches()) {
      throw bad(name, value.text(), "a decimal integer");
    }
    long parsed = PlaylistLines.parseLongOrMax(value.text());
    if (parsed < min || parsed > max) {
      throw new PlaylistException(Kind.OUT_OF_RANGE, lineNumber,
          "#" + tag + ": " + name + "=" + value.text() + " (expected: " + min + ".." + max + ")");
    }
  }

  /** Checks a non-negative decimal floating-point number no bigger than {@code max}. */
  void decimalFloat(String name, boolean required, double max) {
    Value value = required ? require(name) : values.get(name);
    if (value == null) {
      return;
    }
    if (value.quoted()) {
      throw bad(name, value.text(), "an unquoted decimal number");
    }
    if (value.text().startsWith("-") && SIGNED_FLOAT.matcher(value.text()).matches()) {
      throw new PlaylistException(Kind.OUT_OF_RANGE, lineNumber,
          "#" + tag + ": " + name + "=" + value.text() + " (expected: >= 0)");
    }
    if (!DECIMAL_FLOAT.matcher(value.text()).matches()) {
      throw bad(name, value.text(), "a decimal number");
    }
    if (Double.parseDouble(value.text()) > max) {
      throw new PlaylistException(Kind.OUT_OF_RANGE, lineNumber,
          "#" + tag + ": " + name + "=" + value.text() + " (expected: <= " + max + ")");
    }
  }

  /** Checks a signed decimal floating-point number within {@code [-max, max]}. */
  void signedFloat(String name, boolean required, double max) {
    Value value = required ? require(name) : values.get(name);
    if (value == null) {
      return;
    }
    if (value.quoted() || !SIGNED_FLOAT.matcher(value.text()).matches()) {
      throw bad(name, value.text(), "a signed decimal number");
    }
    if (Math.abs(Double.parseDouble(value.text())) > max) {
      throw new PlaylistException(Kind.OUT_OF_RANGE, lineNumber,
          "#" + tag + ": " + name + "=" + value.text() + " (expected: -" + max + ".." + max + ")");
    }
  }

  /** Checks a {@code <width>x<height>} resolution with both sides in {@code 1..65535}. */
  void resolution(String name) {
    Value value = values.get(name);
    if (value == null) {
      return;
    }
    var matcher = RESOLUTION.matcher(value.text());
    if (value.quoted() || !matcher.matches()) {
      throw bad(name, value.text(), "<width>x<height>");
    }
    long width = PlaylistLines.parseLongOrMax(matcher.group(1));
    long height = PlaylistLines.parseLongOrMax(matcher.group(2));
    if (width < 1 || width > 65_535 || height < 1 || height > 65_535) {
      throw new PlaylistException(Kind.OUT_OF_RANGE, lineNumber,
          "#" + tag + ": " + name + "=" + value.text() + " (expected: sides 1..65535)");
    }
  }

  /** Checks a quoted {@code CHANNELS} value: a channel count, then optional {@code /}-parameters. */
  void channels(String name) {
    Value value = values.get(name);
    if (value == null) {
      return;
    }
    var matcher = CHANNELS.matcher(value.text());
    if (!value.quoted() || !matcher.matches()) {
      throw bad(name, value.text(), "a quoted \"<count>[/<parameters>]\"");
    }
    if (PlaylistLines.parseLongOrMax(matcher.group(1)) > 1_000) {
      throw new PlaylistException(Kind.OUT_OF_RANGE, lineNumber,
          "#" + tag + ": " + name + "=\"" + value.text() + "\" (expected: a count of 0..1000 channels)");
    }
  }

  /** Checks a 128-bit hexadecimal IV ({@code 0x} and up to 32 hex digits). */
  void hexIv(String name) {
    Value value = values.get(name);
    if (value == null) {
      return;
    }
    if (value.quoted() || !HEX_IV.matcher(value.text()).matches()) {
      throw bad(name, value.text(), "0x followed by 1 to 32 hex digits");
    }
  }

  /** Checks a quoted {@code "<n>[@<o>]"} byte range with {@code n > 0}. */
  void quotedByteRange(String name) {
    Value value = values.get(name);
    if (value == null) {
      return;
    }
    if (!value.quoted()) {
      throw bad(name, value.text(), "a quoted \"<length>[@<offset>]\"");
    }
    PlaylistLines.checkByteRange(value.text(), "#" + tag + " " + name, lineNumber, Kind.BAD_ATTRIBUTE);
  }
}
