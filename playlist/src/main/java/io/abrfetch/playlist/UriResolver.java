package io.abrfetch.playlist;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * RFC 3986 section 5.2 reference resolution against a playlist's URL, working around
 * {@link URI#resolve(URI)}'s departures from it: an empty base path ({@code http://h} +
 * {@code a.ts} gave {@code http://ha.ts}), an empty or query-only reference (resolved against the
 * base's directory instead of the base), and leftover {@code ..} segments above the root.
 * Characters that are illegal in a URI but common in real playlists (spaces, non-ASCII) are
 * percent-encoded first. Not thread-safe (it caches): one instance per parse.
 */
final class UriResolver {

  private final URI base;
  // single-file and byte-range playlists repeat one URI per segment: resolve each text once
  private final Map<String, URI> resolved = new HashMap<>();

  UriResolver(URI base) {
    Checks.checkNotNull(base, "base");
    Checks.checkArgument(base.isAbsolute(), "base: %s (expected: an absolute URI)", base);
    URI fixed = base;
    if (!base.isOpaque() && base.getRawAuthority() != null
        && (base.getRawPath() == null || base.getRawPath().isEmpty())) {
      fixed = URI.create(assemble(base.getScheme(), base.getRawAuthority(), "/", base.getRawQuery(),
          base.getRawFragment()));
    }
    this.base = fixed;
  }

  /** The absolute URI of {@code reference}; throws {@link URISyntaxException} when it is not one. */
  URI resolve(String reference) throws URISyntaxException {
    URI uri = resolved.get(reference);
    if (uri == null) {
      uri = resolveUncached(reference);
      resolved.put(reference, uri);
    }
    return uri;
  }

  private URI resolveUncached(String reference) throws URISyntaxException {
    URI ref = new URI(encodeIllegal(reference));
    if (ref.isAbsolute()) {
      return removeDotSegmentsAboveRoot(ref.normalize());
    }
    if (base.isOpaque()) {
      throw new URISyntaxException(reference, "relative reference against an opaque base " + base);
    }
    if (ref.getRawAuthority() == null && ref.getRawPath().isEmpty()) {
      // RFC 3986 5.2.2: empty path keeps the base path; the query is the reference's when it has one
      String query = ref.getRawQuery() != null ? ref.getRawQuery() : base.getRawQuery();
      String fragment = ref.getRawFragment();
      return new URI(assemble(base.getScheme(), base.getRawAuthority(), base.getRawPath(), query,
          fragment));
    }
    // normalize(): java.net.URI leaves dot segments in absolute-path references ("/./g")
    return removeDotSegmentsAboveRoot(base.resolve(ref).normalize());
  }

  private static URI removeDotSegmentsAboveRoot(URI uri) throws URISyntaxException {
    String path = uri.getRawPath();
    if (uri.isOpaque() || path == null || !path.startsWith("/..")) {
      return uri;
    }
    while (path.startsWith("/../") || path.equals("/..")) {
      path = path.length() == 3 ? "/" : path.substring(3);
    }
    return new URI(assemble(uri.getScheme(), uri.getRawAuthority(), path, uri.getRawQuery(),
        uri.getRawFragment()));
  }

  private static String assemble(String scheme, String rawAuthority, String rawPath,
      String rawQuery, String rawFragment) {
    return scheme + ":" + (rawAuthority == null ? "" : "//" + rawAuthority) + rawPath
        + (rawQuery == null ? "" : "?" + rawQuery) + (rawFragment == null ? "" : "#" + rawFragment);
  }

  /** Percent-encodes the characters {@link URI} rejects but real playlists contain. */
  static String encodeIllegal(String reference) {
    StringBuilder out = null;
    for (int i = 0; i < reference.length(); i++) {
      char c = reference.charAt(i);
      boolean illegal = c <= 0x20 || c >= 0x7f || "\"<>\\^`{|}".indexOf(c) >= 0;
      if (illegal && out == null) {
        out = new StringBuilder(reference.length() + 16).append(reference, 0, i);
      }
      if (out != null) {
        if (illegal) {
          int codePoint = reference.codePointAt(i);
          if (Character.charCount(codePoint) == 2) {
            i++;
          }
          for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
          }
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? reference : out.toString();
  }
}
