package io.abrfetch.abr;

/**
 * What an {@link AbrPolicy} wants done with a peer: keep its variant, move up, move down, or
 * abandon the segment being downloaded and fetch it again from a lower variant.
 *
 * <p>Every decision names the variant it ends on ({@link #targetIndex()}, an index into the
 * ladder, 0 = lowest bitrate) and the {@link Reason} the policy had. Decisions are values: they
 * hold no reference to the view they came from.
 */
public sealed interface AbrDecision
    permits AbrDecision.Stay, AbrDecision.UpSwitch, AbrDecision.DownSwitch, AbrDecision.Abandon {

  /** Why the policy decided what it did. */
  enum Reason {
    /** No throughput sample yet: the starting variant is kept. */
    NO_ESTIMATE,
    /** The current variant is already the one the rule picks. */
    ALREADY_OPTIMAL,
    /** The buffer is below the level that allows more than this variant. */
    BUFFER_LOW,
    /** The buffer is high enough for a higher variant. */
    BUFFER_HIGH,
    /** The throughput estimate supports a higher variant. */
    THROUGHPUT_HIGH,
    /** The throughput estimate no longer sustains the current variant. */
    THROUGHPUT_LOW,
    /** A switch was indicated but the hysteresis band holds the current variant. */
    HYSTERESIS_HOLD,
    /** A look-ahead plan (MPC, the default policy) scored this variant best over its horizon. */
    PLANNED,
    /** The peer is in manual mode and pinned to this variant. */
    MANUAL,
    /** The peer is locked: its variant may not change now. */
    LOCKED,
    /** The bandwidth cap excludes the current variant. */
    BANDWIDTH_CAP,
    /** The running download would outlast the buffer while a lower variant would not. */
    DOWNLOAD_TOO_SLOW,
    /** The running download can finish in time, or no lower variant would do better. */
    DOWNLOAD_ON_TRACK
  }

  /** The ladder index this decision ends on. */
  int targetIndex();

  /** Why. */
  Reason reason();

  /**
   * Builds the decision that moves from {@code fromIndex} to {@code toIndex}: {@link Stay} when
   * they are equal, else {@link UpSwitch} or {@link DownSwitch}.
   */
  static AbrDecision of(int fromIndex, int toIndex, Reason reason) {
    if (toIndex == fromIndex) {
      return new Stay(toIndex, reason);
    }
    return toIndex > fromIndex
        ? new UpSwitch(fromIndex, toIndex, reason)
        : new DownSwitch(fromIndex, toIndex, reason);
  }

  /** Keep the current variant. */
  record Stay(int targetIndex, Reason reason) implements AbrDecision {
    public Stay {
      checkIndex("targetIndex", targetIndex);
      java.util.Objects.requireNonNull(reason, "reason");
    }
  }

  /** Move to a higher variant from the next segment on. */
  record UpSwitch(int fromIndex, int targetIndex, Reason reason) implements AbrDecision {
    public UpSwitch {
      checkIndex("fromIndex", fromIndex);
      if (targetIndex <= fromIndex) {
        throw new IllegalArgumentException(
            "targetIndex: " + targetIndex + " (expected: > fromIndex " + fromIndex + ")");
      }
      java.util.Objects.requireNonNull(reason, "reason");
    }
  }

  /** Move to a lower variant from the next segment on. */
  record DownSwitch(int fromIndex, int targetIndex, Reason reason) implements AbrDecision {
    public DownSwitch {
      checkIndex("targetIndex", targetIndex);
      if (targetIndex >= fromIndex) {
        throw new IllegalArgumentException(
            "targetIndex: " + targetIndex + " (expected: < fromIndex " + fromIndex + ")");
      }
      java.util.Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Cancel the running download of {@code fromIndex} and fetch the same segment again from the
   * lower variant {@code targetIndex}.
   */
  record Abandon(int fromIndex, int targetIndex, Reason reason) implements AbrDecision {
    public Abandon {
      checkIndex("targetIndex", targetIndex);
      if (targetIndex >= fromIndex) {
        throw new IllegalArgumentException(
            "targetIndex: " + targetIndex + " (expected: < fromIndex " + fromIndex + ")");
      }
      java.util.Objects.requireNonNull(reason, "reason");
    }
  }

  private static void checkIndex(String name, int index) {
    if (index < 0) {
      throw new IllegalArgumentException(name + ": " + index + " (expected: >= 0)");
    }
  }
}
