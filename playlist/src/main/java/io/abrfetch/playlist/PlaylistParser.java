package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkNotNull;

import io.abrfetch.playlist.PlaylistException.Kind;
import io.lindstrom.m3u8.model.AlternativeRendition;
import io.lindstrom.m3u8.model.Channels;
import io.lindstrom.m3u8.model.KeyMethod;
import io.lindstrom.m3u8.model.MediaSegment;
import io.lindstrom.m3u8.model.PartialSegment;
import io.lindstrom.m3u8.parser.MasterPlaylistParser;
import io.lindstrom.m3u8.parser.MediaPlaylistParser;
import io.lindstrom.m3u8.parser.ParsingMode;
import io.lindstrom.m3u8.parser.PlaylistParserException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Parses HLS playlists (RFC 8216 and its 8216bis draft) into the immutable {@link MasterPlaylist}
 * and {@link MediaPlaylist} models. The only class that touches the io.lindstrom m3u8 library.
 *
 * <p>Every line is checked before the library sees it, so bad input of any kind becomes a
 * {@link PlaylistException} naming the line and what was expected; nothing else escapes for any
 * input. On top of the library it resolves every URI against the playlist's own URL (RFC 3986),
 * computes omitted byte range offsets, carries the key and the initialization section in force
 * forward to every segment, and derives the default AES-128 IV from the media sequence number.
 *
 * <p>Stateless and thread-safe: one instance can parse concurrently from any thread.
 */
public final class PlaylistParser {

  private final PlaylistParserOptions options;

  /** A parser with the default limits. */
  public PlaylistParser() {
    this(PlaylistParserOptions.defaults());
  }

  /** A parser with the given limits. */
  public PlaylistParser(PlaylistParserOptions options) {
    this.options = checkNotNull(options, "options");
  }

  /** The limits this parser applies. */
  public PlaylistParserOptions options() {
    return options;
  }

  /**
   * Parses a playlist body.
   *
   * @param playlistUri the absolute URL the body was loaded from, after redirects
   * @param body the raw body: UTF-8, with or without a BOM, LF or CRLF line ends
   * @throws PlaylistException when the body is not a valid playlist within the limits
   */
  public Playlist parse(URI playlistUri, byte[] body) throws PlaylistException {
    checkBase(playlistUri);
    checkNotNull(body, "body");
    return parse(playlistUri, PlaylistLines.scan(body, options));
  }

  /** Parses a playlist already decoded to text; see {@link #parse(URI, byte[])}. */
  public Playlist parse(URI playlistUri, String body) throws PlaylistException {
    checkBase(playlistUri);
    checkNotNull(body, "body");
    return parse(playlistUri, PlaylistLines.scan(body, options));
  }

  /** Parses a body that must be a master playlist ({@link Kind#WRONG_TYPE} otherwise). */
  public MasterPlaylist parseMaster(URI playlistUri, byte[] body) throws PlaylistException {
    if (parse(playlistUri, body) instanceof MasterPlaylist master) {
      return master;
    }
    throw new PlaylistException(Kind.WRONG_TYPE, 0,
        playlistUri + " is a media playlist (expected: a master playlist)");
  }

  /** Parses a body that must be a media playlist ({@link Kind#WRONG_TYPE} otherwise). */
  public MediaPlaylist parseMedia(URI playlistUri, byte[] body) throws PlaylistException {
    if (parse(playlistUri, body) instanceof MediaPlaylist media) {
      return media;
    }
    throw new PlaylistException(Kind.WRONG_TYPE, 0,
        playlistUri + " is a master playlist (expected: a media playlist)");
  }

  private static void checkBase(URI playlistUri) {
    checkNotNull(playlistUri, "playlistUri");
    Checks.checkArgument(playlistUri.isAbsolute() && !playlistUri.isOpaque(),
        "playlistUri: %s (expected: an absolute hierarchical URI)", playlistUri);
  }

  private Playlist parse(URI playlistUri, PlaylistLines lines) {
    TrackingIterator iterator = new TrackingIterator(lines.libraryLines);
    try {
      if (lines.master) {
        return toMaster(playlistUri, new MasterPlaylistParser(ParsingMode.LENIENT).readPlaylist(iterator),
            lines);
      }
      return toMedia(playlistUri, new MediaPlaylistParser(ParsingMode.LENIENT).readPlaylist(iterator),
          lines);
    } catch (PlaylistParserException | RuntimeException e) {
      if (e instanceof PlaylistException playlistException) {
        throw playlistException;
      }
      // The line checks should have caught this; name the line the library was reading.
      int index = Math.min(iterator.index, lines.libraryLineNumbers.length - 1);
      int line = index >= 0 ? lines.libraryLineNumbers[index] : 0;
      throw new PlaylistException(Kind.BAD_TAG, line,
          "rejected by the m3u8 parser: " + e.getClass().getSimpleName() + ": " + e.getMessage()
              + " (expected: a valid tag)", e);
    }
  }

  /** Hands lines to the library and remembers which one it read last. */
  private static final class TrackingIterator implements Iterator<String> {
    private final List<String> lines;
    int index = -1;

    TrackingIterator(List<String> lines) {
      this.lines = lines;
    }

    @Override
    public boolean hasNext() {
      return index + 1 < lines.size();
    }

    @Override
    public String next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return lines.get(++index);
    }
  }

  // ---- media playlists ----

  private static MediaPlaylist toMedia(URI playlistUri, io.lindstrom.m3u8.model.MediaPlaylist lib,
      PlaylistLines lines) {
    UriResolver resolver = new UriResolver(playlistUri);
    List<MediaSegment> libSegments = lib.mediaSegments();
    if (libSegments.size() != lines.uriLines.length) {
      throw new PlaylistException(Kind.INCONSISTENT, 0, "the m3u8 parser found " + libSegments.size()
          + " segments (expected: " + lines.uriLines.length + ", one per URI line)");
    }
    long mediaSequence = lib.mediaSequence();
    long skipped = lib.skip().map(s -> s.skippedSegments()).orElse(0L);
    long discontinuitySequence = lib.discontinuitySequence();
    PartState partState = new PartState(resolver, lines.tagLines.getOrDefault("EXT-X-PART", List.of()));

    List<Segment> segments = new ArrayList<>(libSegments.size());
    io.lindstrom.m3u8.model.SegmentKey keyInForce = null;
    URI keyUri = null;
    int keyLine = 0;
    SegmentMap mapInForce = null;
    ByteRange previousRange = null;
    URI previousUri = null;
    long startUs = 0;
    for (int i = 0; i < libSegments.size(); i++) {
      MediaSegment libSegment = libSegments.get(i);
      int line = lines.uriLines[i];
      long segmentSequence = mediaSequence + skipped + i;
      URI uri = resolve(resolver, libSegment.uri(), line, "segment URI");
      if (libSegment.discontinuity()) {
        discontinuitySequence++;
      }
      if (libSegment.segmentKey().isPresent()) {
        io.lindstrom.m3u8.model.SegmentKey libKey = libSegment.segmentKey().get();
        keyInForce = libKey.method() == KeyMethod.NONE ? null : libKey;
        keyLine = line;
        keyUri = keyInForce == null
            ? null : resolve(resolver, libKey.uri().orElse(""), keyLine, "EXT-X-KEY URI");
      }
      SegmentKey key = keyInForce == null
          ? null : toKey(keyInForce, keyUri, SegmentKey.defaultIvHex(segmentSequence));
      if (libSegment.segmentMap().isPresent()) {
        io.lindstrom.m3u8.model.SegmentMap libMap = libSegment.segmentMap().get();
        mapInForce = new SegmentMap(resolve(resolver, libMap.uri(), line, "EXT-X-MAP URI"),
            libMap.byteRange().map(r -> new ByteRange(r.offset().orElse(0L), r.length())).orElse(null));
      }
      ByteRange range = libSegment.byteRange().isPresent()
          ? carriedForward(libSegment.byteRange().get(), uri, previousRange, previousUri, line,
              "#EXT-X-BYTERANGE:" + libSegment.byteRange().get().length(), "segment")
          : null;
      previousRange = range;
      previousUri = uri;
      long durationUs = secondsToUs(libSegment.duration());
      List<Part> parts = partState.map(libSegment.partialSegments());
      segments.add(new Segment(
          segmentSequence,
          discontinuitySequence,
          uri,
          durationUs,
          startUs,
          libSegment.title().filter(t -> !t.isEmpty()).orElse(null),
          range,
          key,
          mapInForce,
          libSegment.discontinuity(),
          libSegment.programDateTime().map(OffsetDateTime::toInstant).orElse(null),
          libSegment.gap(),
          parts));
      startUs += durationUs;
    }
    List<Part> trailingParts = partState.map(lib.partialSegments());
    PreloadHint preloadHint = lib.preloadHint().map(h -> new PreloadHint(
            PreloadHint.Type.valueOf(h.type().name()),
            resolve(resolver, h.uri(), lines.firstLineOf("EXT-X-PRELOAD-HINT"), "EXT-X-PRELOAD-HINT URI"),
            h.byteRangeStart().orElse(0L),
            h.byteRangeLength().orElse(null)))
        .orElse(null);
    ServerControl serverControl = lib.serverControl().map(c -> new ServerControl(
            c.canBlockReload(),
            c.canSkipUntil().map(PlaylistParser::secondsToUs).orElse(null),
            c.holdBack().map(PlaylistParser::secondsToUs).orElse(null),
            c.partHoldBack().map(PlaylistParser::secondsToUs).orElse(null)))
        .orElse(null);
    return new MediaPlaylist(
        playlistUri,
        lib.version().orElse(1),
        lib.targetDuration() * 1_000_000L,
        mediaSequence,
        lib.discontinuitySequence(),
        lib.playlistType().map(t -> MediaPlaylist.PlaylistType.valueOf(t.name())).orElse(null),
        !lib.ongoing(),
        lib.iFramesOnly(),
        lib.independentSegments(),
        skipped,
        segments,
        lib.partialSegmentInformation().map(p -> secondsToUs(p.partTargetDuration())).orElse(null),
        serverControl,
        trailingParts,
        preloadHint);
  }

  /** Maps parts in playlist order, computing omitted byte range offsets across segments. */
  private static final class PartState {
    private final UriResolver resolver;
    private final List<Integer> partLines;
    private int partIndex;
    private ByteRange previousRange;
    private URI previousUri;

    PartState(UriResolver resolver, List<Integer> partLines) {
      this.resolver = resolver;
      this.partLines = partLines;
    }

    List<Part> map(List<PartialSegment> libParts) {
      List<Part> parts = new ArrayList<>(libParts.size());
      for (PartialSegment libPart : libParts) {
        int line = partIndex < partLines.size() ? partLines.get(partIndex) : 0;
        partIndex++;
        URI uri = resolve(resolver, libPart.uri(), line, "EXT-X-PART URI");
        ByteRange range = libPart.byterange().isPresent()
            ? carriedForward(libPart.byterange().get(), uri, previousRange, previousUri, line,
                "#EXT-X-PART BYTERANGE", "part")
            : null;
        previousRange = range;
        previousUri = uri;
        parts.add(new Part(uri, secondsToUs(libPart.duration()), libPart.independent(), range,
            libPart.gap()));
      }
      return parts;
    }
  }

  /**
   * The byte range of a segment or part, with the offset the tag omits carried forward from the
   * previous sub-range of the same resource (RFC 8216 4.3.2.2).
   */
  private static ByteRange carriedForward(io.lindstrom.m3u8.model.ByteRange libRange, URI uri,
      ByteRange previousRange, URI previousUri, int line, String tag, String unit) {
    long offset;
    if (libRange.offset().isPresent()) {
      offset = libRange.offset().get();
    } else if (previousRange != null && uri.equals(previousUri)) {
      offset = previousRange.endBytes();
    } else {
      throw new PlaylistException(Kind.INCONSISTENT, line,
          tag + " without an offset (expected: an offset, or a previous " + unit
              + " that is a sub-range of the same resource " + uri + ")");
    }
    return newByteRange(offset, libRange.length(), line);
  }

  private static ByteRange newByteRange(long offset, long length, int line) {
    if (offset > Long.MAX_VALUE - length) {
      throw new PlaylistException(Kind.OUT_OF_RANGE, line,
          "byte range " + length + "@" + offset + " (expected: an end below 2^63)");
    }
    return new ByteRange(offset, length);
  }

  private static SegmentKey toKey(io.lindstrom.m3u8.model.SegmentKey libKey, URI uri,
      String defaultIvHex) {
    String explicitIv = libKey.iv().map(PlaylistParser::normalizeIv).orElse(null);
    return new SegmentKey(
        SegmentKey.Method.valueOf(libKey.method().name()),
        uri,
        explicitIv != null ? explicitIv : defaultIvHex,
        explicitIv != null,
        libKey.keyFormat().orElse(SegmentKey.IDENTITY_KEY_FORMAT),
        libKey.keyFormatVersions().orElse(null));
  }

  /** {@code 0x1A2b} becomes 32 lowercase hex digits, left-padded with zeros. */
  private static String normalizeIv(String iv) {
    String digits = iv.startsWith("0x") || iv.startsWith("0X") ? iv.substring(2) : iv;
    return "0".repeat(Math.max(0, 32 - digits.length())) + digits.toLowerCase(Locale.ROOT);
  }

  /** Seconds as written (the library hands us a double) to whole microseconds, half-up. */
  static long secondsToUs(double seconds) {
    return BigDecimal.valueOf(seconds).movePointRight(6).setScale(0, RoundingMode.HALF_UP)
        .longValueExact();
  }

  private static URI resolve(UriResolver resolver, String reference, int line, String what) {
    if (reference == null || reference.isEmpty()) {
      throw new PlaylistException(Kind.BAD_URI, line, what + " is empty (expected: a URI)");
    }
    try {
      return resolver.resolve(reference);
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new PlaylistException(Kind.BAD_URI, line,
          what + " '" + reference + "': " + e.getMessage() + " (expected: an RFC 3986 URI reference)", e);
    }
  }

  // ---- master playlists ----

  private static MasterPlaylist toMaster(URI playlistUri, io.lindstrom.m3u8.model.MasterPlaylist lib,
      PlaylistLines lines) {
    UriResolver resolver = new UriResolver(playlistUri);
    List<Integer> mediaLines = lines.tagLines.getOrDefault("EXT-X-MEDIA", List.of());
    List<Rendition> renditions = new ArrayList<>();
    Set<String> groups = new HashSet<>();
    for (int i = 0; i < lib.alternativeRenditions().size(); i++) {
      AlternativeRendition r = lib.alternativeRenditions().get(i);
      int line = i < mediaLines.size() ? mediaLines.get(i) : 0;
      Rendition.Type type = Rendition.Type.valueOf(r.type().name());
      groups.add(type + "/" + r.groupId());
      renditions.add(new Rendition(
          type,
          r.groupId(),
          r.name(),
          r.language().orElse(null),
          r.assocLanguage().orElse(null),
          r.defaultRendition().orElse(false),
          r.autoSelect().orElse(false),
          r.forced().orElse(false),
          r.inStreamId().orElse(null),
          r.characteristics(),
          r.channels().map(PlaylistParser::channels).orElse(null),
          r.uri().isPresent() ? resolve(resolver, r.uri().get(), line, "EXT-X-MEDIA URI") : null));
    }

    List<Integer> streamInfLines = lines.tagLines.getOrDefault("EXT-X-STREAM-INF", List.of());
    List<Variant> variants = new ArrayList<>();
    for (int i = 0; i < lib.variants().size(); i++) {
      io.lindstrom.m3u8.model.Variant v = lib.variants().get(i);
      int line = i < lines.uriLines.length ? lines.uriLines[i] : 0;
      int tagLine = i < streamInfLines.size() ? streamInfLines.get(i) : 0;
      checkGroup(groups, Rendition.Type.AUDIO, v.audio().orElse(null), tagLine);
      checkGroup(groups, Rendition.Type.VIDEO, v.video().orElse(null), tagLine);
      checkGroup(groups, Rendition.Type.SUBTITLES, v.subtitles().orElse(null), tagLine);
      String closedCaptions = v.closedCaptionsNone().orElse(false) ? null : v.closedCaptions().orElse(null);
      checkGroup(groups, Rendition.Type.CLOSED_CAPTIONS, closedCaptions, tagLine);
      variants.add(new Variant(
          resolve(resolver, v.uri(), line, "variant URI"),
          v.bandwidth(),
          v.averageBandwidth().orElse(null),
          codecs(v.codecs()),
          v.resolution().map(res -> new Resolution(res.width(), res.height())).orElse(null),
          v.frameRate().orElse(null),
          v.audio().orElse(null),
          v.video().orElse(null),
          v.subtitles().orElse(null),
          closedCaptions));
    }

    List<Integer> iFrameLines = lines.tagLines.getOrDefault("EXT-X-I-FRAME-STREAM-INF", List.of());
    List<IFrameVariant> iFrameVariants = new ArrayList<>();
    for (int i = 0; i < lib.iFrameVariants().size(); i++) {
      io.lindstrom.m3u8.model.IFrameVariant v = lib.iFrameVariants().get(i);
      int line = i < iFrameLines.size() ? iFrameLines.get(i) : 0;
      checkGroup(groups, Rendition.Type.VIDEO, v.video().orElse(null), line);
      iFrameVariants.add(new IFrameVariant(
          resolve(resolver, v.uri(), line, "EXT-X-I-FRAME-STREAM-INF URI"),
          v.bandwidth(),
          v.averageBandwidth().orElse(null),
          codecs(v.codecs()),
          v.resolution().map(res -> new Resolution(res.width(), res.height())).orElse(null),
          v.video().orElse(null)));
    }

    List<Integer> keyLines = lines.tagLines.getOrDefault("EXT-X-SESSION-KEY", List.of());
    List<SegmentKey> sessionKeys = new ArrayList<>();
    for (int i = 0; i < lib.sessionKeys().size(); i++) {
      io.lindstrom.m3u8.model.SegmentKey k = lib.sessionKeys().get(i);
      int line = i < keyLines.size() ? keyLines.get(i) : 0;
      URI uri = k.uri().isPresent() ? resolve(resolver, k.uri().get(), line, "EXT-X-SESSION-KEY URI") : null;
      sessionKeys.add(toKey(k, uri, null));
    }

    List<Integer> dataLines = lines.tagLines.getOrDefault("EXT-X-SESSION-DATA", List.of());
    List<SessionData> sessionData = new ArrayList<>();
    for (int i = 0; i < lib.sessionData().size(); i++) {
      io.lindstrom.m3u8.model.SessionData d = lib.sessionData().get(i);
      int line = i < dataLines.size() ? dataLines.get(i) : 0;
      sessionData.add(new SessionData(
          d.dataId(),
          d.value().orElse(null),
          d.uri().isPresent() ? resolve(resolver, d.uri().get(), line, "EXT-X-SESSION-DATA URI") : null,
          d.language().orElse(null)));
    }

    return new MasterPlaylist(
        playlistUri,
        lib.version().orElse(1),
        lib.independentSegments(),
        variants,
        iFrameVariants,
        renditions,
        sessionKeys,
        sessionData);
  }

  private static void checkGroup(Set<String> groups, Rendition.Type type, String groupId, int line) {
    // RFC 8216 4.3.4.2: a group a variant names MUST match an EXT-X-MEDIA of that TYPE; closed
    // captions may also be carried without one, so those are not checked
    if (groupId != null && type != Rendition.Type.CLOSED_CAPTIONS && !groups.contains(type + "/" + groupId)) {
      throw new PlaylistException(Kind.INCONSISTENT, line,
          "variant names " + type + " group \"" + groupId + "\" (expected: an #EXT-X-MEDIA with TYPE="
              + type.name().replace('_', '-') + ",GROUP-ID=\"" + groupId + "\")");
    }
  }

  private static List<String> codecs(List<String> libCodecs) {
    return libCodecs.stream().map(String::strip).filter(c -> !c.isEmpty()).toList();
  }

  private static String channels(Channels channels) {
    return channels.objectCodingIdentifiers().isEmpty()
        ? Integer.toString(channels.count())
        : channels.count() + "/" + String.join(",", channels.objectCodingIdentifiers());
  }
}
