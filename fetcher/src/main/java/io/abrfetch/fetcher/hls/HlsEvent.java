package io.abrfetch.fetcher.hls;

import io.abrfetch.fetcher.FetchException;
import java.time.Duration;

/**
 * What happened to a track of an {@link HlsSession}; listeners added with
 * {@link HlsSession#addListener} get them on the session's context. Times are on the session's
 * {@link HlsSessionOptions#nanoClock()}.
 */
public sealed interface HlsEvent {

  /** The track the event is about. */
  TrackType type();

  /** The track's first segment is chosen: {@code startSequence} of variant {@code variantIndex}. */
  record TrackStarted(TrackType type, String peerId, int variantIndex, long startSequence,
      boolean live) implements HlsEvent {}

  /** A segment is in the track's queue (or handed to a waiting reader). */
  record SegmentReady(TrackType type, long mediaSequence, int variantIndex, long startUs,
      long durationUs, int sizeBytes) implements HlsEvent {}

  /** The track moved to another variant at a segment boundary, from {@code atSequence} on. */
  record VariantSwitched(TrackType type, int fromIndex, int toIndex, long atSequence,
      boolean afterAbandon) implements HlsEvent {}

  /**
   * A slow download of segment {@code mediaSequence} from {@code variantIndex} was abandoned on
   * ABR's advice; the segment is fetched again from a lower variant.
   */
  record SegmentAbandoned(TrackType type, long mediaSequence, int variantIndex,
      long receivedBytes) implements HlsEvent {}

  /** A segment (or its key or init section) failed transiently and is tried again after {@code delay}. */
  record SegmentRetrying(TrackType type, long mediaSequence, int attempt, Duration delay,
      FetchException.Kind cause) implements HlsEvent {}

  /**
   * A live window slid past {@code count} segments before the track fetched them (the reader or
   * the link was too slow); the track resumes at {@code resumedAtSequence} with a discontinuity.
   */
  record SegmentsMissed(TrackType type, long count, long resumedAtSequence) implements HlsEvent {}

  /** A live reload failed; the track keeps going on what it has and tries again. */
  record ReloadFailed(TrackType type, int variantIndex, String reason, long failingForNanos)
      implements HlsEvent {}

  /**
   * A live playlist brought no new segment for three target durations; reported once per episode
   * (again only after it has advanced in between). The track keeps reloading.
   */
  record PlaylistStuck(TrackType type, int variantIndex, long sinceLastNewSegmentNanos)
      implements HlsEvent {}

  /** A reloaded live playlist had a lower media sequence than before; it was not merged. */
  record PlaylistWentBackwards(TrackType type, int variantIndex, long previousMediaSequence,
      long reloadedMediaSequence) implements HlsEvent {}

  /** The track delivered its last segment ({@code EXT-X-ENDLIST} reached) or the session closed. */
  record TrackEnded(TrackType type, boolean sessionClosed) implements HlsEvent {}

  /** The track failed; its reader gets {@code error} after the segments queued before it. */
  record TrackFailed(TrackType type, HlsException error) implements HlsEvent {}
}
