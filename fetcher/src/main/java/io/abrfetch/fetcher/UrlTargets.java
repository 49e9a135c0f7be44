package io.abrfetch.fetcher;

import io.vertx.core.http.RequestOptions;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.Locale;

/**
 * Splits absolute request URLs into what the downloader needs for each request: the origin key
 * of the per-origin cap, and the host, port, TLS flag and request URI of a Vert.x
 * {@link RequestOptions}. The {@code scheme://authority} prefix is parsed once and remembered
 * (the latest one: a peer's requests usually all go to one origin); a URL with the same prefix
 * only has its request URI cut out of the string, with the same result as parsing it whole.
 *
 * <p>Threading: not thread-safe; the downloader confines it to its event loop.
 */
final class UrlTargets {

  /** A parsed {@code scheme://authority} prefix; host, port and TLS only for http and https. */
  private record Authority(String prefix, String originKey, String host, int port, boolean ssl,
      boolean http) {}

  private Authority last;

  /**
   * The origin key of {@code url} ({@code scheme://host:port}, lower case, default port filled
   * in), for a URL that {@link FetchRequest} accepted.
   */
  String originKey(String url) {
    Authority authority = authorityOf(url);
    return authority != null ? authority.originKey() : parseOriginKey(url);
  }

  /**
   * Points {@code options} at {@code url}: as {@link RequestOptions#setAbsoluteURI(String)}
   * would (and through it when the URL's authority cannot be split off).
   */
  RequestOptions target(RequestOptions options, String url) {
    Authority authority = authorityOf(url);
    if (authority == null || !authority.http()) {
      return options.setAbsoluteURI(url);
    }
    // What java.net.URL calls the file (path and query), without the fragment; an empty path
    // becomes "/" as in RequestOptions.setAbsoluteURI(URL).
    int end = url.indexOf('#', authority.prefix().length());
    String file = url.substring(authority.prefix().length(), end < 0 ? url.length() : end);
    String uri = file.startsWith("/") ? file : "/" + file;
    return options.setHost(authority.host()).setPort(authority.port()).setSsl(authority.ssl())
        .setURI(uri);
  }

  /** The parsed prefix of {@code url}, or null when it has no {@code scheme://authority}. */
  private Authority authorityOf(String url) {
    Authority authority = last;
    if (authority != null && hasPrefix(url, authority.prefix())) {
      return authority;
    }
    authority = parse(url);
    if (authority != null) {
      last = authority;
    }
    return authority;
  }

  private static boolean hasPrefix(String url, String prefix) {
    if (!url.startsWith(prefix)) {
      return false;
    }
    if (url.length() == prefix.length()) {
      return true;
    }
    char next = url.charAt(prefix.length());
    return next == '/' || next == '?' || next == '#';
  }

  private static Authority parse(String url) {
    int schemeEnd = url.indexOf("://");
    if (schemeEnd <= 0) {
      return null;
    }
    int end = url.length();
    for (int i = schemeEnd + 3; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    String prefix = url.substring(0, end);
    String originKey;
    try {
      originKey = parseOriginKey(prefix);
    } catch (RuntimeException e) {
      return null;
    }
    String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return new Authority(prefix, originKey, null, -1, false, false);
    }
    URL parsed;
    try {
      parsed = new URL(prefix + "/");
    } catch (MalformedURLException e) {
      return new Authority(prefix, originKey, null, -1, false, false);
    }
    boolean ssl = scheme.equals("https");
    int port = parsed.getPort() != -1 ? parsed.getPort() : ssl ? 443 : 80;
    return new Authority(prefix, originKey, parsed.getHost(), port, ssl, true);
  }

  private static String parseOriginKey(String url) {
    URI uri = URI.create(url);
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
  }
}
