package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkNotNull;

import java.net.URI;

/**
 * An {@code EXT-X-SESSION-DATA} entry of a master playlist.
 *
 * @param dataId the {@code DATA-ID}
 * @param value the {@code VALUE}, null when the data is referenced by {@code uri}
 * @param uri the resolved {@code URI}, null when the data is inline
 * @param language the {@code LANGUAGE}, null when absent
 */
public record SessionData(String dataId, String value, URI uri, String language) {
  public SessionData {
    checkNotNull(dataId, "dataId");
  }
}
