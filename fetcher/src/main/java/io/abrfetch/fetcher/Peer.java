package io.abrfetch.fetcher;

/**
 * A consumer of the downloader, typically one HLS track (video, alternate audio); it registers
 * with {@link Downloader#register(Peer)} and fetches through the returned {@link PeerHandle}.
 *
 * <p>Threading: {@link #id()} and {@link #playingAtRegistration()} are read once at registration;
 * {@link #onLoadSlow} is called on the downloader's event loop and must not block.
 */
public interface Peer {

  /** A stable id, unique among the downloader's live peers; also the peer's id in ABR. */
  String id();

  /** Whether the peer's track is playing when it registers; change it with {@link PeerHandle#setPlaying}. */
  default boolean playingAtRegistration() {
    return true;
  }

  /**
   * The abandon hook: a request of this peer passed its soft deadline ({@code slow} says how far
   * it got). Return true to cancel it ({@link CancelReason#ABANDONED}), typically because
   * finishing at the measured rate would outlast the buffer and a lower variant should be fetched
   * instead; false lets it run on. Called at most once per request.
   */
  default boolean onLoadSlow(FetchEvent.LoadSlow slow) {
    return false;
  }

  /** A peer with {@code id}, playing, that never abandons. */
  static Peer of(String id) {
    return of(id, true);
  }

  /** A peer with {@code id} and the given initial playing state, that never abandons. */
  static Peer of(String id, boolean playing) {
    Checks.checkNotNull(id, "id");
    return new Peer() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public boolean playingAtRegistration() {
        return playing;
      }
    };
  }
}
