package io.abrfetch.abr;

/**
 * What the {@link AbrController} tells its listeners. Every event names its peer and carries the
 * controller's clock.
 */
public sealed interface AbrEvent
    permits AbrEvent.VariantSwitched, AbrEvent.ModeChanged, AbrEvent.BandwidthCapChanged {

  /** The peer concerned. */
  String peerId();

  /** When, on the controller's nano clock. */
  long atNanos();

  /**
   * A peer moved to another variant: at a segment boundary, or at once when a slow download was
   * abandoned ({@code abandoned}).
   */
  record VariantSwitched(
      String peerId,
      int fromIndex,
      int toIndex,
      long fromBitrateBps,
      long toBitrateBps,
      AbrDecision.Reason reason,
      boolean abandoned,
      long atNanos) implements AbrEvent {

    /** Whether this switch went to a higher variant. */
    public boolean isUp() {
      return toIndex > fromIndex;
    }
  }

  /** A peer entered manual mode (pinned to {@code manualIndex}) or auto mode (-1). */
  record ModeChanged(String peerId, int manualIndex, long atNanos) implements AbrEvent {}

  /** A peer's bandwidth cap changed ({@link Long#MAX_VALUE} = none). */
  record BandwidthCapChanged(String peerId, long bandwidthCapBps, long atNanos)
      implements AbrEvent {}
}
