package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkArgument;
import static io.abrfetch.playlist.Checks.checkNotNull;

import java.net.URI;
import java.util.List;

/**
 * An I-frame variant ({@code EXT-X-I-FRAME-STREAM-INF}), kept apart from the ABR ladder: it is
 * for trick play, never for normal playback.
 *
 * @param uri the resolved URI of its I-frame media playlist
 * @param bandwidthBps the peak {@code BANDWIDTH} in bits per second, {@code > 0}
 * @param averageBandwidthBps the {@code AVERAGE-BANDWIDTH}, null when absent
 * @param codecs the {@code CODECS} list, empty when absent
 * @param resolution the {@code RESOLUTION}, null when absent
 * @param videoGroupId the {@code VIDEO} rendition group, null when absent
 */
public record IFrameVariant(
    URI uri,
    long bandwidthBps,
    Long averageBandwidthBps,
    List<String> codecs,
    Resolution resolution,
    String videoGroupId) {

  public IFrameVariant {
    checkNotNull(uri, "uri");
    checkArgument(bandwidthBps > 0, "bandwidthBps: %s (expected: > 0)", bandwidthBps);
    codecs = List.copyOf(checkNotNull(codecs, "codecs"));
  }
}
