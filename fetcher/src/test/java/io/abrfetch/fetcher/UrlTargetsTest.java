package io.abrfetch.fetcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class UrlTargetsTest {

  private static final List<String> URLS = List.of(
      "http://127.0.0.1:8080/o/obj-00001",
      "http://127.0.0.1:8080/o/obj-00002?x=1&y=%20z",
      "http://127.0.0.1:8080",
      "http://127.0.0.1:8080?only=query",
      "http://127.0.0.1:8080/path#fragment",
      "http://127.0.0.1:808/a-port-that-prefixes-the-next",
      "http://127.0.0.1/default-port",
      "https://Example.COM/a/b.m4s",
      "https://example.com:8443/a/b.m4s?token=abc",
      "http://user:secret@example.com:81/with-userinfo",
      "http://[::1]:9000/ipv6",
      "HTTP://EXAMPLE.com/upper-scheme",
      "http://127.0.0.1:8080/o/obj-00003",
      "http://127.0.0.1:808/x",
      "http://127.0.0.1:8080/y",
      "grpc://127.0.0.1:9090/object");

  @Test
  void target_setsWhatSetAbsoluteUriSets_forEveryUrlInAnyOrder() {
    UrlTargets targets = new UrlTargets();
    for (int round = 0; round < 2; round++) { // the second round runs on remembered prefixes
      for (String url : URLS) {
        if (url.startsWith("grpc:")) {
          continue;
        }
        RequestOptions expected = new RequestOptions().setAbsoluteURI(url);
        RequestOptions actual = targets.target(new RequestOptions(), url);
        assertEquals(expected.getHost(), actual.getHost(), url);
        assertEquals(expected.getPort(), actual.getPort(), url);
        assertEquals(expected.isSsl(), actual.isSsl(), url);
        assertEquals(expected.getURI(), actual.getURI(), url);
      }
    }
  }

  @Test
  void originKey_isSchemeHostAndPort_lowerCase_withTheDefaultPort() {
    UrlTargets targets = new UrlTargets();
    for (int round = 0; round < 2; round++) {
      for (String url : URLS) {
        assertEquals(uriOriginKey(url), targets.originKey(url), url);
      }
    }
    assertEquals("https://example.com:443", targets.originKey("https://Example.COM/a"));
    assertEquals("http://127.0.0.1:80", targets.originKey("http://127.0.0.1/x"));
  }

  /** The origin key as the downloader computed it before prefixes were remembered. */
  private static String uriOriginKey(String url) {
    URI uri = URI.create(url);
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
  }
}
