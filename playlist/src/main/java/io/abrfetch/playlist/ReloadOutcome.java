package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkNotNull;

import java.util.List;

/**
 * What {@link LiveReloadSchedule#onPlaylist} made of one loaded live playlist, and when to load it
 * next. Times are on the schedule's nano clock.
 */
public sealed interface ReloadOutcome
    permits ReloadOutcome.Advanced, ReloadOutcome.Unchanged, ReloadOutcome.Stuck,
        ReloadOutcome.WentBackwards, ReloadOutcome.Ended {

  /** When to begin the next load, on the schedule's nano clock; {@link Long#MAX_VALUE} for never. */
  long nextReloadAtNanos();

  /** The segments this load added to the known ones (empty unless {@link Advanced} or {@link Ended}). */
  default List<Segment> newSegments() {
    return List.of();
  }

  /**
   * New segments arrived.
   *
   * @param newSegments the added segments, in media sequence order
   * @param missedSegments how many segments slid out of the window before we saw them; when
   *     {@code > 0} the known segments restart at the reloaded window (a gap, e.g. after reloading
   *     too late)
   */
  record Advanced(List<Segment> newSegments, long missedSegments, long nextReloadAtNanos)
      implements ReloadOutcome {
    public Advanced {
      newSegments = List.copyOf(checkNotNull(newSegments, "newSegments"));
    }
  }

  /** No new segment; reload again after half the target duration. */
  record Unchanged(long nextReloadAtNanos) implements ReloadOutcome {}

  /**
   * No new segment for at least three target durations (RFC 8216 section 6.3.4 leaves the reaction
   * to the client: typically an error or a switch to another variant).
   *
   * @param sinceLastNewSegmentNanos how long no new segment has appeared
   */
  record Stuck(long sinceLastNewSegmentNanos, long nextReloadAtNanos) implements ReloadOutcome {}

  /**
   * The reloaded playlist's media sequence is lower than the previous one's, which RFC 8216
   * section 6.2.2 forbids (a restarted packager, a stale cache, a failover). The reload is not merged.
   *
   * @param previousMediaSequence the media sequence of the last accepted playlist
   * @param reloadedMediaSequence the lower media sequence just loaded
   */
  record WentBackwards(long previousMediaSequence, long reloadedMediaSequence, long nextReloadAtNanos)
      implements ReloadOutcome {}

  /**
   * The playlist has {@code EXT-X-ENDLIST}: no more reloads.
   *
   * @param newSegments the segments this last load added
   */
  record Ended(List<Segment> newSegments) implements ReloadOutcome {
    public Ended {
      newSegments = List.copyOf(checkNotNull(newSegments, "newSegments"));
    }

    @Override
    public long nextReloadAtNanos() {
      return Long.MAX_VALUE;
    }
  }
}
