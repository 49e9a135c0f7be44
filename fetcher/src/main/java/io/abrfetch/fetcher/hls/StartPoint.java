package io.abrfetch.fetcher.hls;

import io.abrfetch.playlist.Segment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a track starts in a media playlist: {@code EXT-X-START} when present, else the first
 * segment of a VOD playlist or the live edge (a number of target durations from the end).
 *
 * <p>Pure functions; the playlist module does not model {@code EXT-X-START}, so its
 * {@code TIME-OFFSET} is read from the playlist text here.
 */
final class StartPoint {

  private static final Pattern START_TAG =
      Pattern.compile("^#EXT-X-START:(.*)$", Pattern.MULTILINE);
  private static final Pattern TIME_OFFSET =
      Pattern.compile("(?:^|,)\\s*TIME-OFFSET=(-?[0-9]+(?:\\.[0-9]+)?)\\s*(?:,|$)");

  private StartPoint() {}

  /**
   * The {@code TIME-OFFSET} of the playlist's {@code EXT-X-START} in microseconds (negative:
   * from the end), or null when the tag is absent or its offset unreadable (the tag is optional,
   * so a broken one is ignored rather than failing playback).
   */
  static Long startOffsetUs(byte[] playlistBody) {
    String text = new String(playlistBody, StandardCharsets.UTF_8).replace("\r", "");
    Matcher tag = START_TAG.matcher(text);
    if (!tag.find()) {
      return null;
    }
    Matcher offset = TIME_OFFSET.matcher(tag.group(1));
    if (!offset.find()) {
      return null;
    }
    double seconds = Double.parseDouble(offset.group(1));
    if (Double.isNaN(seconds) || Math.abs(seconds) > 1e9) {
      return null;
    }
    return Math.round(seconds * 1_000_000);
  }

  /**
   * The index in {@code segments} to start at, or -1 when there are none.
   *
   * @param startOffsetUs the {@code EXT-X-START} offset, or null
   * @param live whether the playlist has no end list
   * @param edgeTargetDurations distance of the live start from the end, in target durations
   */
  static int startIndex(List<Segment> segments, long targetDurationUs, Long startOffsetUs,
      boolean live, int edgeTargetDurations) {
    if (segments.isEmpty()) {
      return -1;
    }
    long totalUs = 0;
    for (Segment s : segments) {
      totalUs += s.durationUs();
    }
    if (startOffsetUs != null) {
      long atUs = startOffsetUs >= 0 ? startOffsetUs : totalUs + startOffsetUs;
      atUs = Math.max(0, atUs);
      long startUs = 0;
      for (int i = 0; i < segments.size(); i++) {
        long endUs = startUs + segments.get(i).durationUs();
        if (atUs < endUs) {
          return i;
        }
        startUs = endUs;
      }
      return segments.size() - 1;
    }
    if (!live) {
      return 0;
    }
    long holdbackUs = edgeTargetDurations * targetDurationUs;
    int i = segments.size() - 1;
    long fromEndUs = segments.get(i).durationUs();
    while (fromEndUs < holdbackUs && i > 0) {
      i--;
      fromEndUs += segments.get(i).durationUs();
    }
    return i;
  }
}
