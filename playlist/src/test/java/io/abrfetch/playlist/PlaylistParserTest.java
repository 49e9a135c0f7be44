package io.abrfetch.playlist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abrfetch.playlist.PlaylistException.Kind;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlaylistParserTest {

  private static final URI BASE = URI.create("https://cdn.example.com/live/chan1/index.m3u8");
  private final PlaylistParser parser = new PlaylistParser();

  private static String media(String... body) {
    return "#EXTM3U\n#EXT-X-TARGETDURATION:10\n" + String.join("\n", body) + "\n";
  }

  private MediaPlaylist parseMedia(String text) {
    return parser.parseMedia(BASE, text.getBytes(UTF_8));
  }

  private PlaylistException failure(String text) {
    return assertThrows(PlaylistException.class, () -> parser.parse(BASE, text.getBytes(UTF_8)));
  }

  @Test
  void byteRangeOffset_continuesFromPreviousRangeOfSameResource() {
    MediaPlaylist p = parseMedia(media(
        "#EXTINF:4,", "#EXT-X-BYTERANGE:100@50", "a.ts",
        "#EXTINF:4,", "#EXT-X-BYTERANGE:200", "a.ts",
        "#EXTINF:4,", "#EXT-X-BYTERANGE:300", "a.ts"));
    assertEquals(new ByteRange(50, 100), p.segments().get(0).byteRange());
    assertEquals(new ByteRange(150, 200), p.segments().get(1).byteRange());
    assertEquals(new ByteRange(350, 300), p.segments().get(2).byteRange());
  }

  @Test
  void byteRangeWithoutOffset_isInconsistent_whenPreviousSegmentIsAnotherResource() {
    PlaylistException e = failure(media(
        "#EXTINF:4,", "#EXT-X-BYTERANGE:100@0", "a.ts",
        "#EXTINF:4,", "#EXT-X-BYTERANGE:200", "b.ts"));
    assertEquals(Kind.INCONSISTENT, e.kind());
    assertEquals(8, e.lineNumber()); // the b.ts URI line
  }

  @Test
  void byteRangeWithoutOffset_isInconsistent_onFirstSegment() {
    PlaylistException e = failure(media("#EXTINF:4,", "#EXT-X-BYTERANGE:100", "a.ts"));
    assertEquals(Kind.INCONSISTENT, e.kind());
    assertEquals(5, e.lineNumber());
  }

  @Test
  void key_isCarriedForwardUntilNextKeyTag_withDefaultIvFromMediaSequence() {
    MediaPlaylist p = parseMedia(media(
        "#EXT-X-MEDIA-SEQUENCE:255",
        "#EXT-X-KEY:METHOD=AES-128,URI=\"k1\"",
        "#EXTINF:4,", "a.ts", "#EXTINF:4,", "b.ts",
        "#EXT-X-KEY:METHOD=NONE",
        "#EXTINF:4,", "c.ts",
        "#EXT-X-KEY:METHOD=AES-128,URI=\"https://keys.example.com/k2\",IV=0X0A",
        "#EXTINF:4,", "d.ts"));
    List<Segment> s = p.segments();
    assertEquals(URI.create("https://cdn.example.com/live/chan1/k1"), s.get(0).key().uri());
    assertEquals("000000000000000000000000000000ff", s.get(0).key().ivHex());
    assertEquals(URI.create("https://cdn.example.com/live/chan1/k1"), s.get(1).key().uri());
    assertEquals("00000000000000000000000000000100", s.get(1).key().ivHex());
    assertFalse(s.get(1).key().ivExplicit());
    assertNull(s.get(2).key());
    assertFalse(s.get(2).isEncrypted());
    assertEquals("0000000000000000000000000000000a", s.get(3).key().ivHex());
    assertTrue(s.get(3).key().ivExplicit());
    byte[] iv = s.get(3).key().ivBytes();
    assertEquals(16, iv.length);
    assertEquals(10, iv[15]);
  }

  @Test
  void map_isCarriedForwardUntilNextMapTag() {
    MediaPlaylist p = parseMedia(media(
        "#EXT-X-MAP:URI=\"init1.mp4\",BYTERANGE=\"600@100\"",
        "#EXTINF:4,", "a.m4s", "#EXTINF:4,", "b.m4s",
        "#EXT-X-MAP:URI=\"init2.mp4\"",
        "#EXTINF:4,", "c.m4s"));
    SegmentMap first = new SegmentMap(URI.create("https://cdn.example.com/live/chan1/init1.mp4"),
        new ByteRange(100, 600));
    assertEquals(first, p.segments().get(0).map());
    assertEquals(first, p.segments().get(1).map());
    assertEquals(new SegmentMap(URI.create("https://cdn.example.com/live/chan1/init2.mp4"), null),
        p.segments().get(2).map());
  }

  @Test
  void extinfSeconds_becomeMicrosecondsRoundedHalfUp() {
    MediaPlaylist p = parseMedia(media(
        "#EXTINF:9.009,", "a.ts", "#EXTINF:0.0000005,", "b.ts", "#EXTINF:0.0000004,", "c.ts"));
    assertEquals(9_009_000, p.segments().get(0).durationUs());
    assertEquals(1, p.segments().get(1).durationUs());
    assertEquals(0, p.segments().get(2).durationUs());
    assertEquals(9_009_001, p.totalDurationUs());
  }

  @Test
  void stringAndBytes_parseAlike_withBomAndCrlf() {
    String text = "\uFEFF#EXTM3U\r\n#EXT-X-TARGETDURATION:5\r\n#EXTINF:5,\r\nseg.ts\r\n#EXT-X-ENDLIST\r\n";
    Playlist fromBytes = parser.parse(BASE, text.getBytes(UTF_8));
    Playlist fromString = parser.parse(BASE, text);
    assertEquals(fromBytes, fromString);
    MediaPlaylist media = (MediaPlaylist) fromBytes;
    assertEquals(URI.create("https://cdn.example.com/live/chan1/seg.ts"), media.segments().get(0).uri());
    assertTrue(media.hasEndList());
  }

  @Test
  void relativeUris_resolveAgainstPlaylistUrlWithEmptyPath() {
    MediaPlaylist p = parser.parseMedia(URI.create("http://origin.example.com"),
        media("#EXTINF:4,", "a.ts").getBytes(UTF_8));
    assertEquals(URI.create("http://origin.example.com/a.ts"), p.segments().get(0).uri());
  }

  @Test
  void relativeUris_resolveAgainstFileUrl() {
    MediaPlaylist p = parser.parseMedia(URI.create("file:/tmp/hls/v0/index.m3u8"),
        media("#EXTINF:4,", "../seg.ts").getBytes(UTF_8));
    assertEquals(URI.create("file:/tmp/hls/seg.ts"), p.segments().get(0).uri());
  }

  @Test
  void parseMedia_rejectsMasterPlaylist_asWrongType() {
    byte[] master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n".getBytes(UTF_8);
    PlaylistException e = assertThrows(PlaylistException.class, () -> parser.parseMedia(BASE, master));
    assertEquals(Kind.WRONG_TYPE, e.kind());
    assertEquals(Kind.WRONG_TYPE,
        assertThrows(PlaylistException.class,
            () -> parser.parseMaster(BASE, media("#EXTINF:1,", "a.ts").getBytes(UTF_8))).kind());
  }

  @Test
  void sizeLimit_acceptsExactlyMaxBytes_rejectsOneMore() {
    String text = media("#EXTINF:4,", "a.ts");
    int size = text.getBytes(UTF_8).length;
    PlaylistParser exact = new PlaylistParser(PlaylistParserOptions.builder().maxSizeBytes(size).build());
    assertEquals(1, ((MediaPlaylist) exact.parse(BASE, text.getBytes(UTF_8))).segments().size());
    PlaylistParser tooSmall =
        new PlaylistParser(PlaylistParserOptions.builder().maxSizeBytes(size - 1).build());
    PlaylistException e = assertThrows(PlaylistException.class,
        () -> tooSmall.parse(BASE, text.getBytes(UTF_8)));
    assertEquals(Kind.TOO_LARGE, e.kind());
    assertEquals(Kind.TOO_LARGE,
        assertThrows(PlaylistException.class, () -> tooSmall.parse(BASE, text)).kind());
  }

  @Test
  void segmentLimit_acceptsExactlyMaxSegments_rejectsOneMore() {
    String three = media("#EXTINF:1,", "a.ts", "#EXTINF:1,", "b.ts", "#EXTINF:1,", "c.ts");
    PlaylistParser limit3 = new PlaylistParser(PlaylistParserOptions.builder().maxSegments(3).build());
    assertEquals(3, ((MediaPlaylist) limit3.parse(BASE, three)).segments().size());
    PlaylistParser limit2 = new PlaylistParser(PlaylistParserOptions.builder().maxSegments(2).build());
    PlaylistException e = assertThrows(PlaylistException.class, () -> limit2.parse(BASE, three));
    assertEquals(Kind.TOO_MANY_SEGMENTS, e.kind());
    assertEquals(8, e.lineNumber());
  }

  @Test
  void defaultSegmentLimit_acceptsHundredThousandSegments_rejectsOneMore() {
    StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-TARGETDURATION:2\n");
    for (int i = 0; i < 100_000; i++) {
      text.append("#EXTINF:2.0,\n#EXT-X-BYTERANGE:1000\n").append(i == 0 ? "all.ts\n" : "all.ts\n");
      if (i == 0) {
        text.setLength(text.length() - "#EXT-X-BYTERANGE:1000\nall.ts\n".length());
        text.append("#EXT-X-BYTERANGE:1000@0\nall.ts\n");
      }
    }
    long startNanos = System.nanoTime();
    MediaPlaylist p = (MediaPlaylist) parser.parse(BASE, text.toString());
    long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
    System.out.printf("parsed %d segments (%d bytes) in %d ms%n", p.segments().size(), text.length(), elapsedMs);
    assertEquals(100_000, p.segments().size());
    assertEquals(new ByteRange(99_999_000L, 1000), p.segments().get(99_999).byteRange());
    assertEquals(200_000_000_000L, p.totalDurationUs());
    text.append("#EXTINF:2.0,\nlast.ts\n");
    assertEquals(Kind.TOO_MANY_SEGMENTS,
        assertThrows(PlaylistException.class, () -> parser.parse(BASE, text.toString())).kind());
  }

  @Test
  void defaultOptions_areEightMibAndHundredThousandSegments() {
    assertEquals(8 * 1024 * 1024, PlaylistParserOptions.defaults().maxSizeBytes());
    assertEquals(100_000, PlaylistParserOptions.defaults().maxSegments());
    assertThrows(IllegalArgumentException.class, () -> PlaylistParserOptions.builder().maxSegments(0).build());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "empty input                 | ''                                                            | NOT_M3U8 | 0",
      "binary garbage              | 'GET / HTTP/1.1'                                              | NOT_M3U8 | 1",
      "header with trailing text   | '#EXTM3U8\\n'                                                 | NOT_M3U8 | 1",
      "only header                 | '#EXTM3U\\n'                                                  | TRUNCATED | 0",
      "no target duration          | '#EXTM3U\\n#EXT-X-VERSION:3\\n#EXTINF:1,\\na.ts\\n'           | MISSING_TAG | 0",
      "extinf not a number         | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXTINF:abc,\\na.ts'     | BAD_TAG | 3",
      "extinf negative             | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXTINF:-1,\\na.ts'      | OUT_OF_RANGE | 3",
      "extinf NaN                  | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXTINF:NaN,\\na.ts'     | BAD_TAG | 3",
      "extinf too long             | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXTINF:1e9,\\na.ts'     | BAD_TAG | 3",
      "extinf above max            | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXTINF:1000001,\\na.ts' | OUT_OF_RANGE | 3",
      "extinf without uri at end   | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXTINF:1,'              | TRUNCATED | 3",
      "two extinf                  | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXTINF:1,\\n#EXTINF:1,\\na.ts' | MISSING_URI | 3",
      "uri without extinf          | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\na.ts'                    | MISSING_URI | 3",
      "target duration text        | '#EXTM3U\\n#EXT-X-TARGETDURATION:ten\\n'                      | BAD_TAG | 2",
      "target duration zero        | '#EXTM3U\\n#EXT-X-TARGETDURATION:0\\n'                        | OUT_OF_RANGE | 2",
      "target duration overflow    | '#EXTM3U\\n#EXT-X-TARGETDURATION:99999999999\\n'              | OUT_OF_RANGE | 2",
      "media sequence overflow     | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXT-X-MEDIA-SEQUENCE:9223372036854775808' | OUT_OF_RANGE | 3",
      "media sequence negative     | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXT-X-MEDIA-SEQUENCE:-1' | OUT_OF_RANGE | 3",
      "version zero                | '#EXTM3U\\n#EXT-X-VERSION:0\\n#EXT-X-TARGETDURATION:5'        | OUT_OF_RANGE | 2",
      "byterange garbage           | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXTINF:1,\\n#EXT-X-BYTERANGE:12@x\\na.ts' | BAD_TAG | 4",
      "byterange zero length       | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXTINF:1,\\n#EXT-X-BYTERANGE:0@0\\na.ts' | OUT_OF_RANGE | 4",
      "byterange overflow          | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXTINF:1,\\n#EXT-X-BYTERANGE:10@9223372036854775800\\na.ts' | OUT_OF_RANGE | 4",
      "playlist type unknown       | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXT-X-PLAYLIST-TYPE:LIVE' | BAD_TAG | 3",
      "date time without zone      | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:12.5\\n#EXTINF:1,\\na.ts' | BAD_TAG | 3",
      "channels malformed          | '#EXTM3U\\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"g\",NAME=\"n\",CHANNELS=\"./JOC\"\\n#EXT-X-STREAM-INF:BANDWIDTH=1\\nv.m3u8' | BAD_ATTRIBUTE | 2",
      "channels huge               | '#EXTM3U\\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"g\",NAME=\"n\",CHANNELS=\"9223372036854775807\"\\n#EXT-X-STREAM-INF:BANDWIDTH=1\\nv.m3u8' | OUT_OF_RANGE | 2",
      "bad program date time       | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXT-X-PROGRAM-DATE-TIME:yesterday\\n#EXTINF:1,\\na.ts' | BAD_TAG | 3",
      "key method unknown          | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXT-X-KEY:METHOD=ROT13,URI=\"k\"' | BAD_ATTRIBUTE | 3",
      "key iv too long             | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x000000000000000000000000000000001' | BAD_ATTRIBUTE | 3",
      "key uri unterminated        | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXT-X-KEY:METHOD=AES-128,URI=\"k' | BAD_ATTRIBUTE | 3",
      "map without uri             | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXT-X-MAP:BYTERANGE=\"1@0\"' | BAD_ATTRIBUTE | 3",
      "duplicate attribute         | '#EXTM3U\\n#EXT-X-STREAM-INF:BANDWIDTH=1,BANDWIDTH=2\\nv.m3u8' | BAD_ATTRIBUTE | 2",
      "bandwidth missing           | '#EXTM3U\\n#EXT-X-STREAM-INF:RESOLUTION=1x1\\nv.m3u8'          | BAD_ATTRIBUTE | 2",
      "bandwidth zero              | '#EXTM3U\\n#EXT-X-STREAM-INF:BANDWIDTH=0\\nv.m3u8'              | OUT_OF_RANGE | 2",
      "resolution malformed        | '#EXTM3U\\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=1280*720\\nv.m3u8' | BAD_ATTRIBUTE | 2",
      "resolution huge             | '#EXTM3U\\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=99999999999x1\\nv.m3u8' | OUT_OF_RANGE | 2",
      "stream inf without uri      | '#EXTM3U\\n#EXT-X-STREAM-INF:BANDWIDTH=1'                       | TRUNCATED | 2",
      "stream inf then tag         | '#EXTM3U\\n#EXT-X-STREAM-INF:BANDWIDTH=1\\n#EXT-X-STREAM-INF:BANDWIDTH=2\\nv.m3u8' | MISSING_URI | 2",
      "media type unknown          | '#EXTM3U\\n#EXT-X-MEDIA:TYPE=SMELL,GROUP-ID=\"g\",NAME=\"n\"\\n#EXT-X-STREAM-INF:BANDWIDTH=1\\nv.m3u8' | BAD_ATTRIBUTE | 2",
      "closed captions with uri    | '#EXTM3U\\n#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"g\",NAME=\"n\",INSTREAM-ID=\"CC1\",URI=\"x\"\\n#EXT-X-STREAM-INF:BANDWIDTH=1\\nv.m3u8' | BAD_ATTRIBUTE | 2",
      "master without variants     | '#EXTM3U\\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"g\",NAME=\"n\"\\n' | MISSING_TAG | 0",
      "mixed master and media      | '#EXTM3U\\n#EXT-X-STREAM-INF:BANDWIDTH=1\\nv.m3u8\\n#EXT-X-TARGETDURATION:5' | MIXED_MASTER_MEDIA | 4",
      "bad uri                     | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXTINF:1,\\nhttp://[broken/a.ts' | BAD_URI | 4",
      "control character           | '#EXTM3U\\n#EXT-X-TARGETDURATION:5\\n#EXTINF:1,\\na\\u0000.ts' | BAD_ENCODING | 4",
  })
  void badInput_isTypedError_namingTheLine(String description, String text, Kind kind, int line) {
    String unescaped = text.replace("\\n", "\n").replace("\\u0000", "\u0000");
    PlaylistException e = failure(unescaped);
    assertEquals(kind, e.kind(), description + ": " + e.getMessage());
    assertEquals(line, e.lineNumber(), description + ": " + e.getMessage());
    if (line > 0) {
      assertTrue(e.getMessage().startsWith("line " + line + ": "), e.getMessage());
    }
    assertTrue(e.getMessage().contains("expected"), e.getMessage());
  }

  @Test
  void invalidUtf8_isBadEncoding_onItsLine() {
    byte[] bytes = media("#EXTINF:1,", "a.ts").getBytes(UTF_8);
    byte[] broken = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, broken, 0, bytes.length);
    broken[bytes.length] = (byte) 0xC3; // a lone UTF-8 lead byte at the end, line 5
    PlaylistException e = assertThrows(PlaylistException.class, () -> parser.parse(BASE, broken));
    assertEquals(Kind.BAD_ENCODING, e.kind());
    assertEquals(5, e.lineNumber());
  }

  @Test
  void unknownTagsAndCueTags_areIgnored() {
    MediaPlaylist p = parseMedia(media(
        "#EXT-X-CUE-OUT:30.5", "#EXT-X-SOMETHING-NEW:A=B", "#EXTINF:4,", "a.ts", "#EXT-X-CUE-IN"));
    assertEquals(1, p.segments().size());
  }

  @Test
  void ivBytes_isAFreshCopy() {
    SegmentKey key = new SegmentKey(SegmentKey.Method.AES_128, BASE, SegmentKey.defaultIvHex(1), false,
        SegmentKey.IDENTITY_KEY_FORMAT, null);
    byte[] first = key.ivBytes();
    first[15] = 42;
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, key.ivBytes());
  }
}
