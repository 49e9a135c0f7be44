package io.abrfetch.player;

/**
 * A test fixture: plays a ladder over a scripted link through a {@link PlaybackClock}, with a
 * simple throughput rule for ABR, in simulated time (10 ms ticks), so report tests get a realistic
 * session with switches and stalls without a network.
 */
final class SimulatedSession {
  static final long[] LADDER_BPS = {300_000, 750_000, 1_200_000, 1_850_000, 2_850_000, 4_300_000};
  static final long SEGMENT_US = 4_000_000;
  static final long TICK_US = 10_000;
  static final long SAMPLE_EVERY_US = 250_000;
  static final long MAX_BUFFER_US = 20_000_000;

  private SimulatedSession() {}

  /** The link's rate at {@code timeUs}: 3 Mbit/s, a drop to 0.4 Mbit/s at 30 s, 6 Mbit/s from 50 s. */
  static long linkBps(long timeUs) {
    if (timeUs < 30_000_000) {
      return 3_000_000;
    }
    if (timeUs < 50_000_000) {
      return 400_000;
    }
    return 6_000_000;
  }

  /** Plays {@code segments} segments starting at clock time {@code startUs}; returns the clock. */
  static PlaybackClock play(PlaybackClockOptions options, long startUs, int segments) {
    PlaybackClock clock = PlaybackClock.start(options, startUs);
    long nowUs = startUs;
    double estimateBps = 1_000_000;
    long throughputBps = TimelineSample.UNKNOWN;
    int appended = 0;
    int variant = 1;
    double bitsLeft = LADDER_BPS[variant] * (SEGMENT_US / 1e6);
    long fetchStartUs = nowUs;
    boolean fetching = true;
    long nextSampleUs = nowUs;
    while (!clock.state().isTerminal()) {
      nowUs += TICK_US;
      clock.advance(nowUs);
      if (fetching) {
        bitsLeft -= linkBps(nowUs - startUs) * (TICK_US / 1e6);
        if (bitsLeft <= 0) {
          clock.append(nowUs, SEGMENT_US, LADDER_BPS[variant], variant);
          appended++;
          double seconds = (nowUs - fetchStartUs) / 1e6;
          throughputBps = Math.round(LADDER_BPS[variant] * (SEGMENT_US / 1e6) / seconds);
          estimateBps = 0.7 * estimateBps + 0.3 * throughputBps;
          fetching = false;
          if (appended == segments) {
            clock.endOfStream(nowUs);
          }
        }
      }
      if (!fetching && appended < segments && clock.bufferUs() + SEGMENT_US <= MAX_BUFFER_US) {
        variant = 0;
        for (int i = LADDER_BPS.length - 1; i >= 0; i--) {
          if (LADDER_BPS[i] <= 0.8 * estimateBps) {
            variant = i;
            break;
          }
        }
        bitsLeft = LADDER_BPS[variant] * (SEGMENT_US / 1e6);
        fetchStartUs = nowUs;
        fetching = true;
      }
      if (nowUs >= nextSampleUs) {
        clock.sample(nowUs, Math.round(estimateBps), throughputBps);
        nextSampleUs += SAMPLE_EVERY_US;
      }
    }
    return clock;
  }
}
