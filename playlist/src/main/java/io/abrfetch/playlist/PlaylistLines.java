package io.abrfetch.playlist;

import io.abrfetch.playlist.PlaylistException.Kind;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lines of a playlist, checked before the m3u8 library parses them: decoding, line ends, the
 * {@code #EXTM3U} header, master/media classification, the syntax and range of every value we
 * use, URI line placement, and the limits. What passes is handed to the library as a list of tag
 * and URI lines (comments, blank lines and tags we do not model removed), each with its original
 * line number so that library errors can still name the line.
 */
final class PlaylistLines {

  /** The largest {@code EXTINF} or target duration accepted, in seconds (11.6 days). */
  static final double MAX_DURATION_S = 1_000_000;

  private static final String HEADER = "#EXTM3U";

  private static final Set<String> MASTER_TAGS = Set.of(
      "EXT-X-STREAM-INF", "EXT-X-I-FRAME-STREAM-INF", "EXT-X-MEDIA", "EXT-X-SESSION-DATA",
      "EXT-X-SESSION-KEY", "EXT-X-CONTENT-STEERING");

  private static final Set<String> MEDIA_TAGS = Set.of(
      "EXTINF", "EXT-X-TARGETDURATION", "EXT-X-MEDIA-SEQUENCE", "EXT-X-DISCONTINUITY-SEQUENCE",
      "EXT-X-ENDLIST", "EXT-X-PLAYLIST-TYPE", "EXT-X-I-FRAMES-ONLY", "EXT-X-BYTERANGE",
      "EXT-X-DISCONTINUITY", "EXT-X-KEY", "EXT-X-MAP", "EXT-X-PROGRAM-DATE-TIME", "EXT-X-GAP",
      "EXT-X-PART", "EXT-X-PART-INF", "EXT-X-SERVER-CONTROL", "EXT-X-PRELOAD-HINT", "EXT-X-SKIP",
      "EXT-X-RENDITION-REPORT", "EXT-X-BITRATE", "EXT-X-DATERANGE");

  /** Tags we model; every other tag is dropped before the library sees it (RFC: ignore unknown). */
  private static final Set<String> MODELLED_TAGS = Set.of(
      "EXT-X-VERSION", "EXT-X-INDEPENDENT-SEGMENTS",
      "EXT-X-STREAM-INF", "EXT-X-I-FRAME-STREAM-INF", "EXT-X-MEDIA", "EXT-X-SESSION-DATA",
      "EXT-X-SESSION-KEY",
      "EXTINF", "EXT-X-TARGETDURATION", "EXT-X-MEDIA-SEQUENCE", "EXT-X-DISCONTINUITY-SEQUENCE",
      "EXT-X-ENDLIST", "EXT-X-PLAYLIST-TYPE", "EXT-X-I-FRAMES-ONLY", "EXT-X-BYTERANGE",
      "EXT-X-DISCONTINUITY", "EXT-X-KEY", "EXT-X-MAP", "EXT-X-PROGRAM-DATE-TIME", "EXT-X-GAP",
      "EXT-X-PART", "EXT-X-PART-INF", "EXT-X-SERVER-CONTROL", "EXT-X-PRELOAD-HINT", "EXT-X-SKIP");


  /** The date-time forms the m3u8 library accepts: ISO 8601 with an offset of Z, +HH:MM, +HHMM, +HH. */
  static final DateTimeFormatter PROGRAM_DATE_TIME = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .appendLiteral('T')
      .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
      .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
      .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HHMM", "+0000").optionalEnd()
      .optionalStart().appendOffset("+HH", "Z").optionalEnd()
      .toFormatter();

  final boolean master;
  final List<String> libraryLines;
  final int[] libraryLineNumbers;
  /** Media: the line of each segment's URI. Master: the line of each variant's URI. */
  final int[] uriLines;
  /** The lines of each tag, in order, keyed by tag name. */
  final Map<String, List<Integer>> tagLines;

  private PlaylistLines(boolean master, List<String> libraryLines, List<Integer> libraryLineNumbers,
      List<Integer> uriLines, Map<String, List<Integer>> tagLines) {
    this.master = master;
    this.libraryLines = List.copyOf(libraryLines);
    this.libraryLineNumbers = libraryLineNumbers.stream().mapToInt(Integer::intValue).toArray();
    this.uriLines = uriLines.stream().mapToInt(Integer::intValue).toArray();
    this.tagLines = tagLines;
  }

  int firstLineOf(String tag) {
    List<Integer> lines = tagLines.get(tag);
    return lines == null || lines.isEmpty() ? 0 : lines.get(0);
  }

  /** Decodes {@code bytes} as strict UTF-8 (a leading BOM removed) and scans the text. */
  static PlaylistLines scan(byte[] bytes, PlaylistParserOptions options) {
    if (bytes.length > options.maxSizeBytes()) {
      throw tooLarge(bytes.length, options);
    }
    int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new PlaylistException(Kind.BAD_ENCODING, line,
          "byte 0x" + Integer.toHexString(bytes[in.position()] & 0xff) + " at offset " + in.position()
              + " (expected: UTF-8 text)");
    }
    out.flip();
    return scanText(out.toString(), options);
  }

  /** Scans {@code text} (a leading BOM removed). */
  static PlaylistLines scan(String text, PlaylistParserOptions options) {
    long utf8Bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      utf8Bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    if (utf8Bytes > options.maxSizeBytes()) {
      throw tooLarge(utf8Bytes, options);
    }
    return scanText(text.startsWith("\uFEFF") ? text.substring(1) : text, options);
  }

  private static PlaylistException tooLarge(long sizeBytes, PlaylistParserOptions options) {
    return new PlaylistException(Kind.TOO_LARGE, 0,
        "playlist of " + sizeBytes + " bytes (expected: at most " + options.maxSizeBytes() + ")");
  }

  private static PlaylistLines scanText(String text, PlaylistParserOptions options) {
    String[] raw = text.split("\n", -1);
    List<String> lines = new ArrayList<>(raw.length);
    for (int i = 0; i < raw.length; i++) {
      String line = raw[i];
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      for (int j = 0; j < line.length(); j++) {
        char c = line.charAt(j);
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
          throw new PlaylistException(Kind.BAD_ENCODING, i + 1,
              "control character U+" + String.format("%04X", (int) c) + " at column " + (j + 1)
                  + " (expected: text with LF or CRLF line ends)");
        }
      }
      lines.add(line.strip());
    }
    return new Scanner(lines, options).scan();
  }

  static long parseLongOrMax(String digits) {
    // digits only: anything that does not fit a long is "too big", which every caller rejects
    if (digits.length() > 19) {
      return Long.MAX_VALUE;
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Checks {@code <n>[@<o>]} with {@code n > 0} and {@code n + o} within a long. */
  static void checkByteRange(String text, String what, int lineNumber, Kind syntaxKind) {
    int at = text.indexOf('@');
    String lengthText = at < 0 ? text : text.substring(0, at);
    String offsetText = at < 0 ? "0" : text.substring(at + 1);
    if (!isDigits(lengthText) || !isDigits(offsetText)) {
      throw new PlaylistException(syntaxKind, lineNumber,
          what + " '" + text + "' (expected: <length>[@<offset>])");
    }
    long length = parseLongOrMax(lengthText);
    long offset = parseLongOrMax(offsetText);
    if (length < 1 || length == Long.MAX_VALUE || offset == Long.MAX_VALUE
        || offset > Long.MAX_VALUE / 2 - length) {
      throw new PlaylistException(Kind.OUT_OF_RANGE, lineNumber,
          what + " '" + text + "' (expected: length >= 1 and offset + length < 2^62)");
    }
  }

  /** One or more ASCII digits. */
  static boolean isDigits(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** An RFC 8216 decimal-floating-point, leniently: digits with at most one '.', at least one digit. */
  static boolean isDecimalFloat(String text) {
    boolean digit = false;
    boolean dot = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        return false;
      }
    }
    return digit;
  }


  /** The one-pass state of a scan. */
  private static final class Scanner {
    private final List<String> lines;
    private final PlaylistParserOptions options;
    private final List<String> libraryLines = new ArrayList<>();
    private final List<Integer> libraryLineNumbers = new ArrayList<>();
    private final List<Integer> uriLines = new ArrayList<>();
    private final Map<String, List<Integer>> tagLines = new HashMap<>();
    private boolean master;
    private int pendingLine; // the EXTINF or STREAM-INF still waiting for its URI line, else 0

    Scanner(List<String> lines, PlaylistParserOptions options) {
      this.lines = lines;
      this.options = options;
    }

    PlaylistLines scan() {
      int header = findHeader();
      classify(header);
      for (int i = header + 1; i < lines.size(); i++) {
        String line = lines.get(i);
        int lineNumber = i + 1;
        if (line.isEmpty() || (line.startsWith("#") && !line.startsWith("#EXT"))) {
          continue; // blank or comment
        }
        if (line.startsWith("#")) {
          onTag(line, lineNumber);
        } else {
          onUri(line, lineNumber);
        }
      }
      if (pendingLine > 0) {
        throw new PlaylistException(Kind.TRUNCATED, pendingLine,
            (master ? "#EXT-X-STREAM-INF" : "#EXTINF")
                + " is the last tag (expected: a URI line after it, found the end of the input)");
      }
      if (master && !tagLines.containsKey("EXT-X-STREAM-INF")) {
        throw new PlaylistException(Kind.MISSING_TAG, 0,
            "master playlist without #EXT-X-STREAM-INF (expected: at least one variant)");
      }
      if (!master && !tagLines.containsKey("EXT-X-TARGETDURATION")) {
        // nothing at all after the header looks like a cut-off body rather than a wrong one
        boolean onlyHeader = tagLines.isEmpty() && uriLines.isEmpty();
        throw new PlaylistException(onlyHeader ? Kind.TRUNCATED : Kind.MISSING_TAG, 0,
            "media playlist without #EXT-X-TARGETDURATION (expected: the tag, required by RFC 8216)");
      }
      return new PlaylistLines(master, libraryLines, libraryLineNumbers, uriLines, tagLines);
    }

    private int findHeader() {
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.isEmpty()) {
          continue;
        }
        if (!line.equals(HEADER)) {
          String shown = line.length() > 40 ? line.substring(0, 40) + "..." : line;
          throw new PlaylistException(Kind.NOT_M3U8, i + 1,
              "'" + shown + "' (expected: #EXTM3U as the first line)");
        }
        libraryLines.add(HEADER);
        libraryLineNumbers.add(i + 1);
        return i;
      }
      throw new PlaylistException(Kind.NOT_M3U8, 0, "empty input (expected: #EXTM3U as the first line)");
    }

    private void classify(int header) {
      int masterLine = 0;
      String masterTag = null;
      int mediaLine = 0;
      String mediaTag = null;
      for (int i = header + 1; i < lines.size() && (masterLine == 0 || mediaLine == 0); i++) {
        String line = lines.get(i);
        if (!line.startsWith("#EXT")) {
          continue;
        }
        String name = tagName(line);
        if (masterLine == 0 && MASTER_TAGS.contains(name)) {
          masterLine = i + 1;
          masterTag = name;
        } else if (mediaLine == 0 && MEDIA_TAGS.contains(name)) {
          mediaLine = i + 1;
          mediaTag = name;
        }
      }
      if (masterLine > 0 && mediaLine > 0) {
        throw new PlaylistException(Kind.MIXED_MASTER_MEDIA, Math.max(masterLine, mediaLine),
            "master tag #" + masterTag + " (line " + masterLine + ") and media tag #" + mediaTag
                + " (line " + mediaLine + ") (expected: a master or a media playlist, not both)");
      }
      master = masterLine > 0;
    }

    private static String tagName(String line) {
      int colon = line.indexOf(':');
      return colon > 0 ? line.substring(1, colon) : line.substring(1);
    }

    private void onUri(String line, int lineNumber) {
      if (pendingLine == 0) {
        throw new PlaylistException(Kind.MISSING_URI, lineNumber,
            "URI line '" + abbreviate(line) + "' (expected: after "
                + (master ? "#EXT-X-STREAM-INF" : "#EXTINF") + ")");
      }
      pendingLine = 0;
      if (!master && uriLines.size() >= options.maxSegments()) {
        throw new PlaylistException(Kind.TOO_MANY_SEGMENTS, lineNumber,
            "segment " + (uriLines.size() + 1) + " (expected: at most " + options.maxSegments()
                + " segments)");
      }
      uriLines.add(lineNumber);
      libraryLines.add(line);
      libraryLineNumbers.add(lineNumber);
    }

    private static String abbreviate(String text) {
      return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    private void onTag(String line, int lineNumber) {
      String name = tagName(line);
      int colon = line.indexOf(':');
      String value = colon > 0 ? line.substring(colon + 1) : null;
      if (pendingLine > 0 && (master || name.equals("EXTINF"))) {
        // the library would take this tag line as the variant URI, or merge two segments
        throw new PlaylistException(Kind.MISSING_URI, pendingLine,
            (master ? "#EXT-X-STREAM-INF" : "#EXTINF") + " followed by #" + name + " on line "
                + lineNumber + " (expected: a URI line first)");
      }
      if (!MODELLED_TAGS.contains(name)) {
        return;
      }
      tagLines.computeIfAbsent(name, k -> new ArrayList<>()).add(lineNumber);
      check(name, value, lineNumber);
      libraryLines.add(line);
      libraryLineNumbers.add(lineNumber);
    }

    private static String requireValue(String name, String value, int lineNumber, String expected) {
      if (value == null || value.isEmpty()) {
        throw new PlaylistException(Kind.BAD_TAG, lineNumber,
            "#" + name + " without a value (expected: " + expected + ")");
      }
      return value;
    }

    private static long decimalInteger(String name, String value, int lineNumber, long min, long max) {
      requireValue(name, value, lineNumber, "a decimal integer");
      if (!isDigits(value)) {
        throw new PlaylistException(value.startsWith("-") && isDigits(value.substring(1))
            ? Kind.OUT_OF_RANGE : Kind.BAD_TAG, lineNumber,
            "#" + name + ":" + abbreviate(value) + " (expected: a decimal integer " + min + ".." + max + ")");
      }
      long parsed = parseLongOrMax(value);
      if (parsed < min || parsed > max) {
        throw new PlaylistException(Kind.OUT_OF_RANGE, lineNumber,
            "#" + name + ":" + abbreviate(value) + " (expected: " + min + ".." + max + ")");
      }
      return parsed;
    }

    private void check(String name, String value, int lineNumber) {
      switch (name) {
        case "EXT-X-VERSION" -> decimalInteger(name, value, lineNumber, 1, 1_000);
        case "EXT-X-TARGETDURATION" ->
            decimalInteger(name, value, lineNumber, 1, (long) MAX_DURATION_S);
        case "EXT-X-MEDIA-SEQUENCE", "EXT-X-DISCONTINUITY-SEQUENCE" ->
            // bounded so that sequence + segment count can never overflow
            decimalInteger(name, value, lineNumber, 0, Long.MAX_VALUE / 2);
        case "EXT-X-PLAYLIST-TYPE" -> {
          if (!"VOD".equals(value) && !"EVENT".equals(value)) {
            throw new PlaylistException(Kind.BAD_TAG, lineNumber,
                "#EXT-X-PLAYLIST-TYPE:" + value + " (expected: VOD or EVENT)");
          }
        }
        case "EXTINF" -> {
          checkExtinf(value, lineNumber);
          pendingLine = lineNumber;
        }
        case "EXT-X-BYTERANGE" -> checkByteRange(
            requireValue(name, value, lineNumber, "<length>[@<offset>]"), "#EXT-X-BYTERANGE",
            lineNumber, Kind.BAD_TAG);
        case "EXT-X-PROGRAM-DATE-TIME" -> {
          requireValue(name, value, lineNumber, "an ISO 8601 date-time");
          try {
            if (!PROGRAM_DATE_TIME.parse(value).isSupported(ChronoField.OFFSET_SECONDS)) {
              throw new PlaylistException(Kind.BAD_TAG, lineNumber,
                  "#EXT-X-PROGRAM-DATE-TIME:" + abbreviate(value)
                      + " has no time zone (expected: an ISO 8601 date-time with Z or an offset)");
            }
          } catch (DateTimeParseException e) {
            throw new PlaylistException(Kind.BAD_TAG, lineNumber,
                "#EXT-X-PROGRAM-DATE-TIME:" + abbreviate(value)
                    + " (expected: an ISO 8601 date-time with a time zone)");
          }
        }
        case "EXT-X-KEY", "EXT-X-SESSION-KEY" -> {
          AttributeList a = attributes(name, value, lineNumber);
          a.enumerated("METHOD", true, Set.of("NONE", "AES-128", "SAMPLE-AES", "SAMPLE-AES-CTR"));
          a.quoted("URI", !"NONE".equals(a.enumeratedValue("METHOD")));
          a.hexIv("IV");
          a.quoted("KEYFORMAT", false);
          a.quoted("KEYFORMATVERSIONS", false);
        }
        case "EXT-X-MAP" -> {
          AttributeList a = attributes(name, value, lineNumber);
          a.quoted("URI", true);
          a.quotedByteRange("BYTERANGE");
        }
        case "EXT-X-STREAM-INF" -> {
          AttributeList a = attributes(name, value, lineNumber);
          variantAttributes(a);
          a.decimalFloat("FRAME-RATE", false, 1_000);
          a.quoted("AUDIO", false);
          a.quoted("SUBTITLES", false);
          if (!"NONE".equals(a.enumeratedValue("CLOSED-CAPTIONS"))) {
            a.quoted("CLOSED-CAPTIONS", false);
          }
          pendingLine = lineNumber;
        }
        case "EXT-X-I-FRAME-STREAM-INF" -> {
          AttributeList a = attributes(name, value, lineNumber);
          variantAttributes(a);
          a.quoted("URI", true);
        }
        case "EXT-X-MEDIA" -> checkMedia(attributes(name, value, lineNumber), lineNumber);
        case "EXT-X-SESSION-DATA" -> {
          AttributeList a = attributes(name, value, lineNumber);
          a.quoted("DATA-ID", true);
          a.quoted("URI", false);
          a.quoted("LANGUAGE", false);
          if (a.has("VALUE") == a.has("URI")) {
            throw new PlaylistException(Kind.BAD_ATTRIBUTE, lineNumber,
                "#EXT-X-SESSION-DATA (expected: exactly one of VALUE and URI)");
          }
        }
        case "EXT-X-PART-INF" -> attributes(name, value, lineNumber)
            .decimalFloat("PART-TARGET", true, MAX_DURATION_S);
        case "EXT-X-PART" -> {
          AttributeList a = attributes(name, value, lineNumber);
          a.quoted("URI", true);
          a.decimalFloat("DURATION", true, MAX_DURATION_S);
          a.quotedByteRange("BYTERANGE");
          a.yesNo("INDEPENDENT");
          a.yesNo("GAP");
        }
        case "EXT-X-SERVER-CONTROL" -> {
          AttributeList a = attributes(name, value, lineNumber);
          a.decimalFloat("CAN-SKIP-UNTIL", false, MAX_DURATION_S);
          a.decimalFloat("HOLD-BACK", false, MAX_DURATION_S);
          a.decimalFloat("PART-HOLD-BACK", false, MAX_DURATION_S);
          a.yesNo("CAN-BLOCK-RELOAD");
          a.yesNo("CAN-SKIP-DATERANGES");
        }
        case "EXT-X-PRELOAD-HINT" -> {
          AttributeList a = attributes(name, value, lineNumber);
          a.enumerated("TYPE", true, Set.of("PART", "MAP"));
          a.quoted("URI", true);
          a.decimalInteger("BYTERANGE-START", false, 0, Long.MAX_VALUE / 2);
          a.decimalInteger("BYTERANGE-LENGTH", false, 0, Long.MAX_VALUE / 2);
        }
        case "EXT-X-SKIP" -> attributes(name, value, lineNumber)
            .decimalInteger("SKIPPED-SEGMENTS", true, 0, Integer.MAX_VALUE);
        default -> {
          // tags without a value: EXT-X-ENDLIST, EXT-X-DISCONTINUITY, EXT-X-GAP, ...
        }
      }
    }

    private static AttributeList attributes(String name, String value, int lineNumber) {
      return AttributeList.parse(name,
          requireValue(name, value, lineNumber, "an attribute list"), lineNumber);
    }

    private static void variantAttributes(AttributeList a) {
      a.decimalInteger("BANDWIDTH", true, 1, Long.MAX_VALUE / 2);
      a.decimalInteger("AVERAGE-BANDWIDTH", false, 1, Long.MAX_VALUE / 2);
      a.decimalInteger("PROGRAM-ID", false, 0, Integer.MAX_VALUE);
      a.decimalFloat("SCORE", false, Double.MAX_VALUE);
      a.quoted("CODECS", false);
      a.resolution("RESOLUTION");
      a.quoted("VIDEO", false);
      a.enumerated("HDCP-LEVEL", false, Set.of("TYPE-0", "TYPE-1", "NONE"));
      a.enumerated("VIDEO-RANGE", false, Set.of("SDR", "HLG", "PQ"));
    }

    private static void checkMedia(AttributeList a, int lineNumber) {
      a.enumerated("TYPE", true, Set.of("AUDIO", "VIDEO", "SUBTITLES", "CLOSED-CAPTIONS"));
      a.quoted("GROUP-ID", true);
      a.quoted("NAME", true);
      a.quoted("URI", false);
      a.quoted("LANGUAGE", false);
      a.quoted("ASSOC-LANGUAGE", false);
      a.quoted("CHARACTERISTICS", false);
      a.channels("CHANNELS");
      a.yesNo("DEFAULT");
      a.yesNo("AUTOSELECT");
      a.yesNo("FORCED");
      boolean closedCaptions = "CLOSED-CAPTIONS".equals(a.enumeratedValue("TYPE"));
      a.quoted("INSTREAM-ID", closedCaptions);
      if (closedCaptions && a.has("URI")) {
        throw new PlaylistException(Kind.BAD_ATTRIBUTE, lineNumber,
            "#EXT-X-MEDIA: URI on TYPE=CLOSED-CAPTIONS (expected: no URI, captions are in-band)");
      }
    }

    private static void checkExtinf(String value, int lineNumber) {
      requireValue("EXTINF", value, lineNumber, "<duration>,[<title>]");
      // hand-rolled rather than a regex: this runs once per segment, up to 100,000 times
      int comma = value.indexOf(',');
      String duration = comma < 0 ? value : value.substring(0, comma);
      if (duration.startsWith("-") && isDecimalFloat(duration.substring(1))) {
        throw new PlaylistException(Kind.OUT_OF_RANGE, lineNumber,
            "#EXTINF duration " + duration + " (expected: >= 0 seconds)");
      }
      if (!isDecimalFloat(duration)) {
        throw new PlaylistException(Kind.BAD_TAG, lineNumber,
            "#EXTINF:" + abbreviate(value) + " (expected: <duration in seconds>,[<title>])");
      }
      if (Double.parseDouble(duration) > MAX_DURATION_S) {
        throw new PlaylistException(Kind.OUT_OF_RANGE, lineNumber,
            "#EXTINF duration " + abbreviate(duration) + " (expected: <= " + (long) MAX_DURATION_S
                + " seconds)");
      }
    }
  }
}
