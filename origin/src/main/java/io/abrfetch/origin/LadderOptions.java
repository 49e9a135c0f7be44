package io.abrfetch.origin;

import static io.abrfetch.origin.Preconditions.checkArgument;

import java.util.List;
import java.util.Objects;

/**
 * The shape of a synthetic HLS ladder: variants, segment timing, VOD or live, and optional
 * features; see {@link SyntheticLadder} for the paths it serves.
 *
 * @param bitratesBps the video variants' average bitrates, in bits per second, ascending
 * @param segmentDurationUs every segment's media duration, in microseconds
 * @param live true for a live stream with a sliding window advancing in real time
 * @param windowSegments segments listed in a live playlist (and present when the stream starts)
 * @param vodSegmentCount segments in a VOD stream
 * @param initSegments true to declare an {@code EXT-X-MAP} init segment per track (fMP4 naming)
 * @param byteRange true to serve each track as one file addressed with {@code EXT-X-BYTERANGE}
 * @param aes128 true to encrypt segments with AES-128 (CBC, PKCS#7), IV = media sequence number
 * @param keyRotationSegments a new key every this many segments, or 0 for one key per track
 * @param audioRenditions alternate audio renditions in group {@code "audio"}, 0 for none
 * @param audioBitrateBps every audio rendition's average bitrate, in bits per second
 * @param sizeJitter each segment's size deviates from bitrate x duration by up to this fraction
 */
public record LadderOptions(
    List<Long> bitratesBps,
    long segmentDurationUs,
    boolean live,
    int windowSegments,
    int vodSegmentCount,
    boolean initSegments,
    boolean byteRange,
    boolean aes128,
    int keyRotationSegments,
    int audioRenditions,
    long audioBitrateBps,
    double sizeJitter) {

  public static final List<Long> DEFAULT_BITRATES_BPS =
      List.of(400_000L, 1_200_000L, 2_500_000L, 5_000_000L);
  public static final long DEFAULT_SEGMENT_DURATION_US = 4_000_000L;
  public static final int DEFAULT_WINDOW_SEGMENTS = 6;
  public static final int DEFAULT_VOD_SEGMENT_COUNT = 30;
  public static final long DEFAULT_AUDIO_BITRATE_BPS = 128_000L;
  public static final double DEFAULT_SIZE_JITTER = 0.1;

  public LadderOptions {
    bitratesBps = List.copyOf(bitratesBps);
    checkArgument(!bitratesBps.isEmpty(), "bitratesBps: [] (expected: at least one variant)");
    for (int i = 0; i < bitratesBps.size(); i++) {
      checkArgument(bitratesBps.get(i) >= 8_000, "bitratesBps[%s]: %s (expected: >= 8000)",
          i, bitratesBps.get(i));
      checkArgument(i == 0 || bitratesBps.get(i) > bitratesBps.get(i - 1),
          "bitratesBps: %s (expected: strictly ascending)", bitratesBps);
    }
    checkArgument(segmentDurationUs >= 100_000 && segmentDurationUs <= 60_000_000,
        "segmentDurationUs: %s (expected: 100000..60000000)", segmentDurationUs);
    checkArgument(windowSegments >= 1, "windowSegments: %s (expected: >= 1)", windowSegments);
    checkArgument(vodSegmentCount >= 1, "vodSegmentCount: %s (expected: >= 1)", vodSegmentCount);
    checkArgument(keyRotationSegments >= 0,
        "keyRotationSegments: %s (expected: >= 0)", keyRotationSegments);
    checkArgument(audioRenditions >= 0 && audioRenditions <= 8,
        "audioRenditions: %s (expected: 0..8)", audioRenditions);
    checkArgument(audioBitrateBps >= 8_000,
        "audioBitrateBps: %s (expected: >= 8000)", audioBitrateBps);
    checkArgument(sizeJitter >= 0 && sizeJitter < 0.5,
        "sizeJitter: %s (expected: 0 <= x < 0.5)", sizeJitter);
  }

  /** The defaults: four VOD variants of 30 segments of 4 s, no init, byte ranges, AES or audio. */
  public static LadderOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this ladder's values. */
  public Builder toBuilder() {
    return new Builder()
        .bitratesBps(bitratesBps)
        .segmentDurationUs(segmentDurationUs)
        .live(live)
        .windowSegments(windowSegments)
        .vodSegmentCount(vodSegmentCount)
        .initSegments(initSegments)
        .byteRange(byteRange)
        .aes128(aes128)
        .keyRotationSegments(keyRotationSegments)
        .audioRenditions(audioRenditions)
        .audioBitrateBps(audioBitrateBps)
        .sizeJitter(sizeJitter);
  }

  /** Builds {@link LadderOptions}; starts from the {@code DEFAULT_*} constants. */
  public static final class Builder {
    private List<Long> bitratesBps = DEFAULT_BITRATES_BPS;
    private long segmentDurationUs = DEFAULT_SEGMENT_DURATION_US;
    private boolean live;
    private int windowSegments = DEFAULT_WINDOW_SEGMENTS;
    private int vodSegmentCount = DEFAULT_VOD_SEGMENT_COUNT;
    private boolean initSegments;
    private boolean byteRange;
    private boolean aes128;
    private int keyRotationSegments;
    private int audioRenditions;
    private long audioBitrateBps = DEFAULT_AUDIO_BITRATE_BPS;
    private double sizeJitter = DEFAULT_SIZE_JITTER;

    private Builder() {}

    public Builder bitratesBps(List<Long> bitratesBps) {
      this.bitratesBps = Objects.requireNonNull(bitratesBps, "bitratesBps");
      return this;
    }

    public Builder segmentDurationUs(long segmentDurationUs) {
      this.segmentDurationUs = segmentDurationUs;
      return this;
    }

    public Builder live(boolean live) {
      this.live = live;
      return this;
    }

    public Builder windowSegments(int windowSegments) {
      this.windowSegments = windowSegments;
      return this;
    }

    public Builder vodSegmentCount(int vodSegmentCount) {
      this.vodSegmentCount = vodSegmentCount;
      return this;
    }

    public Builder initSegments(boolean initSegments) {
      this.initSegments = initSegments;
      return this;
    }

    public Builder byteRange(boolean byteRange) {
      this.byteRange = byteRange;
      return this;
    }

    public Builder aes128(boolean aes128) {
      this.aes128 = aes128;
      return this;
    }

    public Builder keyRotationSegments(int keyRotationSegments) {
      this.keyRotationSegments = keyRotationSegments;
      return this;
    }

    public Builder audioRenditions(int audioRenditions) {
      this.audioRenditions = audioRenditions;
      return this;
    }

    public Builder audioBitrateBps(long audioBitrateBps) {
      this.audioBitrateBps = audioBitrateBps;
      return this;
    }

    public Builder sizeJitter(double sizeJitter) {
      this.sizeJitter = sizeJitter;
      return this;
    }

    public LadderOptions build() {
      return new LadderOptions(bitratesBps, segmentDurationUs, live, windowSegments,
          vodSegmentCount, initSegments, byteRange, aes128, keyRotationSegments, audioRenditions,
          audioBitrateBps, sizeJitter);
    }
  }
}
