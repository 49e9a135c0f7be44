package io.abrfetch.abr;

/**
 * A snapshot of one peer's ABR state.
 *
 * @param peerId the peer
 * @param currentIndex the variant the peer's segments are fetched from now
 * @param pendingIndex the variant decided for the next segment boundary, or -1 for none
 * @param manualIndex the pinned variant in manual mode, or -1 in auto mode
 * @param bandwidthCapBps the cap on the variant bitrate, {@link Long#MAX_VALUE} for none
 * @param locks how many holders keep the variant locked (0 = unlocked)
 */
public record AbrPeerState(
    String peerId,
    int currentIndex,
    int pendingIndex,
    int manualIndex,
    long bandwidthCapBps,
    int locks) {

  /** Whether the peer is in auto mode. */
  public boolean isAuto() {
    return manualIndex < 0;
  }

  /** Whether the variant is locked. */
  public boolean isLocked() {
    return locks > 0;
  }
}
