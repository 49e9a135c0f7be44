package io.abrfetch.origin;

import java.util.Locale;
import java.util.Map;

/** The media types of HLS files by extension. */
final class MediaTypes {

  static final String PLAYLIST = "application/vnd.apple.mpegurl";
  static final String OCTET_STREAM = "application/octet-stream";

  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
      Map.entry("m3u8", PLAYLIST),
      Map.entry("m3u", "audio/mpegurl"),
      Map.entry("ts", "video/mp2t"),
      Map.entry("m4s", "video/iso.segment"),
      Map.entry("mp4", "video/mp4"),
      Map.entry("m4v", "video/mp4"),
      Map.entry("m4a", "audio/mp4"),
      Map.entry("aac", "audio/aac"),
      Map.entry("mp3", "audio/mpeg"),
      Map.entry("vtt", "text/vtt"),
      Map.entry("webvtt", "text/vtt"),
      Map.entry("key", OCTET_STREAM),
      Map.entry("json", "application/json"),
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("txt", "text/plain; charset=utf-8"));

  private MediaTypes() {}

  /** The media type for a file name, {@code application/octet-stream} when unknown. */
  static String forName(String name) {
    int dot = name.lastIndexOf('.');
    if (dot < 0 || dot == name.length() - 1) {
      return OCTET_STREAM;
    }
    return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), OCTET_STREAM);
  }
}
