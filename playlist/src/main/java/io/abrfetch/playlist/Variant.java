package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkArgument;
import static io.abrfetch.playlist.Checks.checkNotNull;

import java.net.URI;
import java.util.List;

/**
 * One variant stream of a master playlist ({@code EXT-X-STREAM-INF} and its URI line).
 *
 * @param uri the resolved URI of the variant's media playlist
 * @param bandwidthBps the peak {@code BANDWIDTH} in bits per second, {@code > 0}
 * @param averageBandwidthBps the {@code AVERAGE-BANDWIDTH} in bits per second, null when absent
 * @param codecs the {@code CODECS} list, empty when absent
 * @param resolution the {@code RESOLUTION}, null when absent
 * @param frameRateFps the {@code FRAME-RATE}, null when absent
 * @param audioGroupId the {@code AUDIO} rendition group, null when absent
 * @param videoGroupId the {@code VIDEO} rendition group, null when absent
 * @param subtitlesGroupId the {@code SUBTITLES} rendition group, null when absent
 * @param closedCaptionsGroupId the {@code CLOSED-CAPTIONS} group, null when absent or {@code NONE}
 */
public record Variant(
    URI uri,
    long bandwidthBps,
    Long averageBandwidthBps,
    List<String> codecs,
    Resolution resolution,
    Double frameRateFps,
    String audioGroupId,
    String videoGroupId,
    String subtitlesGroupId,
    String closedCaptionsGroupId) {

  public Variant {
    checkNotNull(uri, "uri");
    checkArgument(bandwidthBps > 0, "bandwidthBps: %s (expected: > 0)", bandwidthBps);
    checkArgument(averageBandwidthBps == null || averageBandwidthBps > 0,
        "averageBandwidthBps: %s (expected: > 0 or null)", averageBandwidthBps);
    codecs = List.copyOf(checkNotNull(codecs, "codecs"));
  }
}
