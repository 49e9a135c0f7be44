package io.abrfetch.origin;

import static io.abrfetch.origin.Preconditions.checkArgument;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A synthetic HLS ladder generated in memory from {@link LadderOptions}, a seed and a clock: its
 * playlists, segment bytes, init segments and AES-128 keys are pure functions of those, so a test
 * can compute exactly what any request returns.
 *
 * <p>Paths (all below {@code /hls/}):
 * <ul>
 *   <li>{@code master.m3u8}: the master playlist; video variant {@code i} is {@code v{i}/index.m3u8},
 *       audio rendition {@code j} (group {@code "audio"}) is {@code a{j}/index.m3u8};
 *   <li>{@code {track}/seg{n}.ts} (audio: {@code .aac}; with init segments: {@code .m4s}) for media
 *       sequence {@code n}, or with byte ranges one file {@code {track}/media.ts} (or {@code .aac},
 *       {@code .m4s});
 *   <li>{@code {track}/init.mp4}: the {@code EXT-X-MAP} init segment, never encrypted;
 *   <li>{@code {track}/key{k}.key}: the 16-byte AES key {@code k} (key {@code k} covers sequences
 *       {@code k*rotation .. (k+1)*rotation-1}, or all with no rotation); the IV is the media
 *       sequence number, big-endian, as HLS specifies when no {@code IV} attribute is given.
 * </ul>
 *
 * <p>Segment {@code n} of a track holds {@code bitrate x duration / 8} bytes of plaintext, varied by
 * up to {@link LadderOptions#sizeJitter()} and seeded; encrypted segments are PKCS#7-padded. A live
 * stream starts with {@link LadderOptions#windowSegments()} segments and gains one every segment
 * duration of the nano clock; its playlists list the last window, without {@code EXT-X-ENDLIST}.
 *
 * <p>Thread-safe: immutable but for small synchronized caches (ciphertexts, byte-range offsets).
 */
public final class SyntheticLadder {

  /** The master playlist's path. */
  public static final String MASTER_PATH = "/hls/master.m3u8";
  /** Every ladder path starts with this. */
  public static final String PREFIX = "/hls/";

  static final int INIT_SEGMENT_BYTES = 1024;
  private static final int CIPHERTEXT_CACHE_ENTRIES = 12;
  private static final String[] LANGUAGES = {"en", "de", "fr", "es", "it", "ja", "pt", "nl"};

  private final LadderOptions options;
  private final long seed;
  private final LongSupplier nanoClock;
  private final long epochNanos;
  private final List<Track> tracks;
  private final Map<String, Track> tracksByName;
  private final Object cacheLock = new Object();
  // Guarded by cacheLock.
  private final Map<Long, byte[]> ciphertextCache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
          return size() > CIPHERTEXT_CACHE_ENTRIES;
        }
      };

  /**
   * A ladder whose live window starts at {@code epochNanos} of {@code nanoClock}.
   *
   * @param seed seeds segment bytes, size jitter and keys
   */
  public SyntheticLadder(LadderOptions options, long seed, LongSupplier nanoClock, long epochNanos) {
    this.options = Objects.requireNonNull(options, "options");
    this.seed = seed;
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.epochNanos = epochNanos;
    List<Track> built = new ArrayList<>();
    Map<String, Track> byName = new LinkedHashMap<>();
    for (int i = 0; i < options.bitratesBps().size(); i++) {
      built.add(new Track("v" + i, false, i, options.bitratesBps().get(i)));
    }
    for (int j = 0; j < options.audioRenditions(); j++) {
      built.add(new Track("a" + j, true, j, options.audioBitrateBps()));
    }
    for (Track track : built) {
      byName.put(track.name, track);
    }
    this.tracks = List.copyOf(built);
    this.tracksByName = byName;
  }

  /** The options it was built from. */
  public LadderOptions options() {
    return options;
  }

  /** Video variants in the master playlist. */
  public int variantCount() {
    return options.bitratesBps().size();
  }

  /** Alternate audio renditions in group {@code "audio"}. */
  public int audioRenditionCount() {
    return options.audioRenditions();
  }

  /** Segments published so far: the newest has media sequence {@code segmentsAvailable() - 1}. */
  public long segmentsAvailable() {
    if (!options.live()) {
      return options.vodSegmentCount();
    }
    long elapsedNanos = Math.max(0, nanoClock.getAsLong() - epochNanos);
    return options.windowSegments() + elapsedNanos / (options.segmentDurationUs() * 1_000L);
  }

  /** The media sequence number of the first segment listed in the media playlists now. */
  public long firstListedSequence() {
    return options.live() ? segmentsAvailable() - options.windowSegments() : 0;
  }

  /** The media playlist path of video variant {@code variant}. */
  public String variantPlaylistPath(int variant) {
    return PREFIX + videoTrack(variant).name + "/index.m3u8";
  }

  /** The media playlist path of audio rendition {@code rendition}. */
  public String audioPlaylistPath(int rendition) {
    return PREFIX + audioTrack(rendition).name + "/index.m3u8";
  }

  /** The URL path of video segment {@code sequence} (the shared file when using byte ranges). */
  public String segmentPath(int variant, long sequence) {
    return segmentPath(videoTrack(variant), sequence);
  }

  /** The plaintext of video segment {@code sequence} of {@code variant}: what a player decrypts to. */
  public byte[] segmentPlaintext(int variant, long sequence) {
    return plaintext(videoTrack(variant), sequence);
  }

  /** The plaintext of audio segment {@code sequence} of {@code rendition}. */
  public byte[] audioSegmentPlaintext(int rendition, long sequence) {
    return plaintext(audioTrack(rendition), sequence);
  }

  /** The bytes served for video segment {@code sequence}: the ciphertext with AES, else plaintext. */
  public byte[] segmentAsServed(int variant, long sequence) {
    return stored(videoTrack(variant), sequence);
  }

  /** The init segment of {@code variant} (served only when init segments are on). */
  public byte[] initSegment(int variant) {
    return initSegment(videoTrack(variant));
  }

  /** The AES-128 key in effect for video segment {@code sequence} of {@code variant}. */
  public byte[] key(int variant, long sequence) {
    Track track = videoTrack(variant);
    return key(track, keyIndex(sequence));
  }

  /** The AES-128 key in effect for audio segment {@code sequence} of {@code rendition}. */
  public byte[] audioKey(int rendition, long sequence) {
    return key(audioTrack(rendition), keyIndex(sequence));
  }

  /** The IV of segment {@code sequence}: the sequence number as a 16-byte big-endian integer. */
  public static byte[] iv(long sequence) {
    return ByteBuffer.allocate(16).putLong(8, sequence).array();
  }

  /** Plaintext bytes of segment {@code sequence} of any track. */
  int plaintextSizeBytes(Track track, long sequence) {
    double nominalBytes = track.bitrateBps * (options.segmentDurationUs() / 1e6) / 8.0;
    long bits = SyntheticContent.mix(seed ^ SyntheticContent.keyOf("size:" + track.name + ":" + sequence));
    double unit = (bits >>> 11) * 0x1.0p-53 * 2 - 1;
    return (int) Math.max(188, Math.round(nominalBytes * (1 + options.sizeJitter() * unit)));
  }

  int storedSizeBytes(Track track, long sequence) {
    int plainBytes = plaintextSizeBytes(track, sequence);
    return options.aes128() ? (plainBytes / 16 + 1) * 16 : plainBytes;
  }

  byte[] plaintext(Track track, long sequence) {
    checkSequence(sequence);
    byte[] bytes = new byte[plaintextSizeBytes(track, sequence)];
    SyntheticContent.fill(segmentKey(track, sequence), 0, bytes, 0, bytes.length);
    // MPEG-TS sync bytes every 188 bytes make the synthetic segments recognisable in a dump.
    for (int i = 0; i < bytes.length; i += 188) {
      bytes[i] = 0x47;
    }
    return bytes;
  }

  /** The bytes served for a segment; computes and caches the ciphertext (CPU-heavy with AES). */
  byte[] stored(Track track, long sequence) {
    if (!options.aes128()) {
      return plaintext(track, sequence);
    }
    long cacheKey = ((long) tracks.indexOf(track) << 48) ^ sequence;
    synchronized (cacheLock) {
      byte[] cached = ciphertextCache.get(cacheKey);
      if (cached != null) {
        return cached;
      }
    }
    byte[] ciphertext = encrypt(key(track, keyIndex(sequence)), iv(sequence), plaintext(track, sequence));
    synchronized (cacheLock) {
      ciphertextCache.put(cacheKey, ciphertext);
    }
    return ciphertext;
  }

  /** The cached served bytes of a segment, or null when they must be computed first. */
  byte[] storedIfCheap(Track track, long sequence) {
    if (!options.aes128()) {
      return plaintext(track, sequence);
    }
    long cacheKey = ((long) tracks.indexOf(track) << 48) ^ sequence;
    synchronized (cacheLock) {
      return ciphertextCache.get(cacheKey);
    }
  }

  byte[] initSegment(Track track) {
    byte[] bytes = new byte[INIT_SEGMENT_BYTES];
    SyntheticContent.fill(SyntheticContent.keyOf("init:" + seed + ":" + track.name), 0, bytes, 0,
        bytes.length);
    return bytes;
  }

  byte[] key(Track track, long keyIndex) {
    byte[] key = new byte[16];
    SyntheticContent.fill(SyntheticContent.keyOf("key:" + seed + ":" + track.name + ":" + keyIndex),
        0, key, 0, key.length);
    return key;
  }

  long keyIndex(long sequence) {
    return options.keyRotationSegments() == 0 ? 0 : sequence / options.keyRotationSegments();
  }

  /** Byte offset of segment {@code sequence} in a track's single byte-range file. */
  long byteRangeOffset(Track track, long sequence) {
    synchronized (cacheLock) {
      long[] offsets = track.offsets;
      int known = track.offsetsKnown;
      if (sequence >= known) {
        int needed = (int) sequence + 1;
        if (needed > offsets.length) {
          offsets = Arrays.copyOf(offsets, Math.max(needed, offsets.length * 2));
          track.offsets = offsets;
        }
        for (int n = known; n < needed; n++) {
          offsets[n] = n == 0 ? 0 : offsets[n - 1] + storedSizeBytes(track, n - 1);
        }
        track.offsetsKnown = needed;
      }
      return offsets[(int) sequence];
    }
  }

  /** The segment whose byte range in the single file contains {@code offsetBytes}. */
  long sequenceAtOffset(Track track, long offsetBytes, long segmentCount) {
    long low = 0;
    long high = segmentCount - 1;
    while (low < high) {
      long middle = (low + high + 1) >>> 1;
      if (byteRangeOffset(track, middle) <= offsetBytes) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  }

  Track track(String name) {
    return tracksByName.get(name);
  }

  String segmentExtension(Track track) {
    if (options.initSegments()) {
      return "m4s";
    }
    return track.audio ? "aac" : "ts";
  }

  String segmentFileName(Track track, long sequence) {
    return options.byteRange()
        ? "media." + segmentExtension(track)
        : "seg" + sequence + "." + segmentExtension(track);
  }

  String segmentPath(Track track, long sequence) {
    return PREFIX + track.name + "/" + segmentFileName(track, sequence);
  }

  /** The HLS version the playlists need for the features in use. */
  int playlistVersion() {
    if (options.initSegments()) {
      return 6;
    }
    return options.byteRange() ? 4 : 3;
  }

  /** The master playlist text. */
  String masterPlaylist() {
    StringBuilder text = new StringBuilder(512);
    text.append("#EXTM3U\n#EXT-X-VERSION:").append(playlistVersion()).append('\n');
    text.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
    long audioPeakBps = 0;
    long audioAverageBps = 0;
    for (int j = 0; j < options.audioRenditions(); j++) {
      Track track = audioTrack(j);
      audioPeakBps = peakBps(track);
      audioAverageBps = track.bitrateBps;
      text.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"Audio ")
          .append(LANGUAGES[j].toUpperCase(Locale.ROOT)).append("\",LANGUAGE=\"")
          .append(LANGUAGES[j]).append("\",DEFAULT=").append(j == 0 ? "YES" : "NO")
          .append(",AUTOSELECT=YES,CHANNELS=\"2\",URI=\"").append(track.name)
          .append("/index.m3u8\"\n");
    }
    for (int i = 0; i < variantCount(); i++) {
      Track track = videoTrack(i);
      text.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(peakBps(track) + audioPeakBps)
          .append(",AVERAGE-BANDWIDTH=").append(track.bitrateBps + audioAverageBps)
          .append(",CODECS=\"avc1.64001f,mp4a.40.2\",RESOLUTION=").append(resolution(track.bitrateBps));
      if (options.audioRenditions() > 0) {
        text.append(",AUDIO=\"audio\"");
      }
      text.append('\n').append(track.name).append("/index.m3u8\n");
    }
    return text.toString();
  }

  /** The media playlist text of {@code track} for {@code segmentCount} published segments. */
  String mediaPlaylist(Track track, long segmentCount) {
    long first = options.live() ? segmentCount - options.windowSegments() : 0;
    double durationS = options.segmentDurationUs() / 1e6;
    StringBuilder text = new StringBuilder(256 + 96 * (int) (segmentCount - first));
    text.append("#EXTM3U\n#EXT-X-VERSION:").append(playlistVersion()).append('\n');
    text.append("#EXT-X-TARGETDURATION:").append((long) Math.ceil(durationS)).append('\n');
    text.append("#EXT-X-MEDIA-SEQUENCE:").append(first).append('\n');
    if (!options.live()) {
      text.append("#EXT-X-PLAYLIST-TYPE:VOD\n");
    }
    text.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
    if (options.initSegments()) {
      // Declared before any EXT-X-KEY, so the init segment is not encrypted.
      text.append("#EXT-X-MAP:URI=\"init.mp4\"\n");
    }
    String extinf = String.format(Locale.ROOT, "#EXTINF:%.3f,\n", durationS);
    for (long sequence = first; sequence < segmentCount; sequence++) {
      if (options.aes128()
          && (sequence == first || keyIndex(sequence) != keyIndex(sequence - 1))) {
        text.append("#EXT-X-KEY:METHOD=AES-128,URI=\"key").append(keyIndex(sequence))
            .append(".key\"\n");
      }
      text.append(extinf);
      if (options.byteRange()) {
        text.append("#EXT-X-BYTERANGE:").append(storedSizeBytes(track, sequence)).append('@')
            .append(byteRangeOffset(track, sequence)).append('\n');
      }
      text.append(segmentFileName(track, sequence)).append('\n');
    }
    if (!options.live()) {
      text.append("#EXT-X-ENDLIST\n");
    }
    return text.toString();
  }

  /** The track's bitrate at its largest segment (jitter and padding included), rounded up. */
  private long peakBps(Track track) {
    double paddingFactor = options.aes128() ? 1.01 : 1.0;
    return (long) Math.ceil(track.bitrateBps * (1 + options.sizeJitter()) * paddingFactor);
  }

  private static String resolution(long bitrateBps) {
    if (bitrateBps < 600_000) {
      return "640x360";
    } else if (bitrateBps < 1_500_000) {
      return "854x480";
    } else if (bitrateBps < 3_000_000) {
      return "1280x720";
    }
    return "1920x1080";
  }

  private long segmentKey(Track track, long sequence) {
    return SyntheticContent.keyOf("segment:" + seed + ":" + track.name + ":" + sequence);
  }

  private Track videoTrack(int variant) {
    checkArgument(variant >= 0 && variant < variantCount(),
        "variant: %s (expected: 0..%s)", variant, variantCount() - 1);
    return tracks.get(variant);
  }

  private Track audioTrack(int rendition) {
    checkArgument(rendition >= 0 && rendition < options.audioRenditions(),
        "rendition: %s (expected: 0..%s)", rendition, options.audioRenditions() - 1);
    return tracks.get(variantCount() + rendition);
  }

  private static void checkSequence(long sequence) {
    checkArgument(sequence >= 0 && sequence < Integer.MAX_VALUE,
        "sequence: %s (expected: 0..%s)", sequence, Integer.MAX_VALUE - 1);
  }

  private static byte[] encrypt(byte[] key, byte[] iv, byte[] plaintext) {
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new OriginException(OriginException.Kind.CRYPTO, "AES-128 encryption failed: " + e, e);
    }
  }

  /** One video variant or audio rendition. Offsets are guarded by the ladder's cache lock. */
  static final class Track {
    final String name;
    final boolean audio;
    final int index;
    final long bitrateBps;
    long[] offsets = new long[64];
    int offsetsKnown;

    Track(String name, boolean audio, int index, long bitrateBps) {
      this.name = name;
      this.audio = audio;
      this.index = index;
      this.bitrateBps = bitrateBps;
    }
  }

  @Override
  public String toString() {
    return "SyntheticLadder[" + options + ", seed " + seed + "]";
  }
}
