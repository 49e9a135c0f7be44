package io.abrfetch.playlist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3986 section 5.4 reference resolution examples, plus the cases java.net.URI gets wrong. */
class UriResolverTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      // RFC 3986 5.4.1 normal examples, base http://a/b/c/d;p?q
      "g:h, g:h",
      "g, http://a/b/c/g",
      "./g, http://a/b/c/g",
      "g/, http://a/b/c/g/",
      "/g, http://a/g",
      "//g, http://g",
      "?y, http://a/b/c/d;p?y",
      "g?y, http://a/b/c/g?y",
      "#s, http://a/b/c/d;p?q#s",
      "g#s, http://a/b/c/g#s",
      "g?y#s, http://a/b/c/g?y#s",
      ";x, http://a/b/c/;x",
      "g;x, http://a/b/c/g;x",
      ".., http://a/b/",
      "../, http://a/b/",
      "../g, http://a/b/g",
      "../.., http://a/",
      "../../g, http://a/g",
      // 5.4.2 abnormal examples
      "../../../g, http://a/g",
      "../../../../g, http://a/g",
      "/./g, http://a/g",
      "g., http://a/b/c/g.",
      ".g, http://a/b/c/.g",
      "./../g, http://a/b/g",
      "g/../h, http://a/b/c/h",
  })
  void resolvesLikeRfc3986(String reference, String expected) throws Exception {
    assertEquals(URI.create(expected), new UriResolver(URI.create("http://a/b/c/d;p?q")).resolve(reference));
  }

  @ParameterizedTest(name = "{0} + {1}")
  @CsvSource({
      "http://host, a.ts, http://host/a.ts",
      "http://host?x=1, a.ts, http://host/a.ts",
      "https://h/p/list.m3u8, seg 1.ts, https://h/p/seg%201.ts",
      "https://h/p/list.m3u8, séq.ts, https://h/p/s%C3%A9q.ts",
      "https://h/p/list.m3u8, a.ts?x={y}, https://h/p/a.ts?x=%7By%7D",
      "file:/tmp/x/list.m3u8, ../a.ts, file:/tmp/a.ts",
  })
  void handlesWhatJavaNetUriGetsWrong(String base, String reference, String expected) throws Exception {
    assertEquals(URI.create(expected), new UriResolver(URI.create(base)).resolve(reference));
  }
}
