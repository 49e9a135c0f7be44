package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkArgument;
import static io.abrfetch.playlist.Checks.checkNotNull;

import java.net.URI;
import java.util.List;

/**
 * An immutable master (multivariant) playlist: the variant streams, the I-frame variants kept
 * apart from them, the alternative renditions and the session-level data.
 *
 * @param uri the URL the playlist was loaded from
 * @param version the {@code EXT-X-VERSION}, 1 when absent
 * @param independentSegments whether {@code EXT-X-INDEPENDENT-SEGMENTS} is present
 * @param variants the variant streams in playlist order; never empty
 * @param iFrameVariants the I-frame variants in playlist order
 * @param renditions the {@code EXT-X-MEDIA} renditions in playlist order
 * @param sessionKeys the {@code EXT-X-SESSION-KEY}s (their IV is null unless explicit)
 * @param sessionData the {@code EXT-X-SESSION-DATA} entries
 */
public record MasterPlaylist(
    URI uri,
    int version,
    boolean independentSegments,
    List<Variant> variants,
    List<IFrameVariant> iFrameVariants,
    List<Rendition> renditions,
    List<SegmentKey> sessionKeys,
    List<SessionData> sessionData)
    implements Playlist {

  public MasterPlaylist {
    checkNotNull(uri, "uri");
    checkArgument(version >= 1, "version: %s (expected: >= 1)", version);
    variants = List.copyOf(checkNotNull(variants, "variants"));
    checkArgument(!variants.isEmpty(), "variants: [] (expected: at least one)");
    iFrameVariants = List.copyOf(checkNotNull(iFrameVariants, "iFrameVariants"));
    renditions = List.copyOf(checkNotNull(renditions, "renditions"));
    sessionKeys = List.copyOf(checkNotNull(sessionKeys, "sessionKeys"));
    sessionData = List.copyOf(checkNotNull(sessionData, "sessionData"));
  }

  /** The variants sorted by bitrate for ABR. */
  public VariantLadder ladder() {
    return VariantLadder.of(variants);
  }

  /** The renditions of one type and group, in playlist order (empty when there are none). */
  public List<Rendition> renditions(Rendition.Type type, String groupId) {
    checkNotNull(type, "type");
    checkNotNull(groupId, "groupId");
    return renditions.stream()
        .filter(r -> r.type() == type && r.groupId().equals(groupId))
        .toList();
  }
}
