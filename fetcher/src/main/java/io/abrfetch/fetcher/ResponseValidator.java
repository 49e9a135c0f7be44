package io.abrfetch.fetcher;

import java.util.Locale;
import java.util.Optional;

/**
 * Decides, from the head of a successful (200/206) response, whether its body is what was asked
 * for; CDNs answer errors with an HTML page and status 200, and those bytes must never reach a
 * decoder. A rejection fails the request with {@link FetchException.Kind#VALIDATION} (fatal).
 *
 * <p>Threading: called on the downloader's event loop; must not block.
 */
@FunctionalInterface
public interface ResponseValidator {

  /** Returns the reason to reject {@code head}, or empty to accept it. */
  Optional<String> rejectionReason(ResponseHead head);

  /** Accepts every response. */
  static ResponseValidator acceptAll() {
    return head -> Optional.empty();
  }

  /** Rejects HTML and other text pages (the default: media segments and keys are never text). */
  static ResponseValidator rejectHtml() {
    return head -> {
      String type = head.contentType().toLowerCase(Locale.ROOT);
      if (type.startsWith("text/html") || type.startsWith("application/xhtml")) {
        return Optional.of("content type " + type + " where media was expected");
      }
      return Optional.empty();
    };
  }

  /** This validator, then {@code next} when this one accepts. */
  default ResponseValidator and(ResponseValidator next) {
    return head -> {
      Optional<String> reason = rejectionReason(head);
      return reason.isPresent() ? reason : next.rejectionReason(head);
    };
  }
}
