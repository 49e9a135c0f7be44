package io.abrfetch.player;

import io.abrfetch.playlist.ByteRange;
import io.abrfetch.playlist.IFrameVariant;
import io.abrfetch.playlist.MasterPlaylist;
import io.abrfetch.playlist.MediaPlaylist;
import io.abrfetch.playlist.Playlist;
import io.abrfetch.playlist.Rendition;
import io.abrfetch.playlist.Segment;
import io.abrfetch.playlist.SegmentKey;
import io.abrfetch.playlist.SegmentMap;
import io.abrfetch.playlist.Variant;
import io.abrfetch.playlist.VariantLadder;
import java.util.Locale;

/** The human-readable {@code inspect} report of a playlist. */
final class InspectText {
  private InspectText() {}

  static String of(Playlist playlist) {
    return playlist instanceof MasterPlaylist master ? master(master) : media((MediaPlaylist) playlist);
  }

  private static String master(MasterPlaylist p) {
    StringBuilder out = new StringBuilder();
    out.append("master playlist ").append(p.uri()).append(" (version ").append(p.version()).append(")\n");
    VariantLadder ladder = p.ladder();
    out.append("variants: ").append(ladder.size()).append(" (ladder, lowest bitrate first)\n");
    for (int i = 0; i < ladder.size(); i++) {
      Variant v = ladder.get(i);
      out.append(String.format(Locale.ROOT, "  #%d %,d bps", i, v.bandwidthBps()));
      if (v.averageBandwidthBps() != null) {
        out.append(String.format(Locale.ROOT, " (avg %,d)", v.averageBandwidthBps()));
      }
      if (v.resolution() != null) {
        out.append(' ').append(v.resolution());
      }
      if (v.frameRateFps() != null) {
        out.append(String.format(Locale.ROOT, " %.3f fps", v.frameRateFps()));
      }
      if (!v.codecs().isEmpty()) {
        out.append(" codecs=").append(String.join(",", v.codecs()));
      }
      appendGroup(out, "audio", v.audioGroupId());
      appendGroup(out, "video", v.videoGroupId());
      appendGroup(out, "subtitles", v.subtitlesGroupId());
      appendGroup(out, "cc", v.closedCaptionsGroupId());
      out.append("\n      ").append(v.uri()).append('\n');
    }
    out.append("renditions: ").append(p.renditions().size()).append('\n');
    for (Rendition r : p.renditions()) {
      out.append("  ").append(r.type()).append(" group=\"").append(r.groupId()).append("\" name=\"")
          .append(r.name()).append('"');
      if (r.language() != null) {
        out.append(" lang=").append(r.language());
      }
      if (r.isDefault()) {
        out.append(" default");
      }
      if (r.autoSelect()) {
        out.append(" autoselect");
      }
      if (r.forced()) {
        out.append(" forced");
      }
      if (r.channels() != null) {
        out.append(" channels=").append(r.channels());
      }
      if (r.instreamId() != null) {
        out.append(" instream-id=").append(r.instreamId());
      }
      out.append(r.uri() == null ? " (in the variant stream)" : "\n      " + r.uri()).append('\n');
    }
    if (!p.iFrameVariants().isEmpty()) {
      out.append("i-frame variants: ").append(p.iFrameVariants().size()).append('\n');
      for (IFrameVariant v : p.iFrameVariants()) {
        out.append(String.format(Locale.ROOT, "  %,d bps", v.bandwidthBps()));
        if (v.resolution() != null) {
          out.append(' ').append(v.resolution());
        }
        out.append(' ').append(v.uri()).append('\n');
      }
    }
    for (SegmentKey key : p.sessionKeys()) {
      out.append("session key: ").append(key(key)).append('\n');
    }
    return out.toString().stripTrailing();
  }

  private static void appendGroup(StringBuilder out, String name, String groupId) {
    if (groupId != null) {
      out.append(' ').append(name).append("=\"").append(groupId).append('"');
    }
  }

  private static String media(MediaPlaylist p) {
    StringBuilder out = new StringBuilder();
    out.append("media playlist ").append(p.uri()).append(" (version ").append(p.version()).append(")\n");
    String type = p.playlistType() != null ? p.playlistType().name() : p.hasEndList() ? "VOD (no type tag)" : "LIVE";
    out.append("type: ").append(type).append(p.hasEndList() ? ", ended (EXT-X-ENDLIST)" : ", live (no EXT-X-ENDLIST)");
    if (p.iFramesOnly()) {
      out.append(", I-frames only");
    }
    out.append('\n');
    out.append("target duration: ").append(p.targetDurationS()).append(" s\n");
    out.append("media sequence: ").append(p.mediaSequence())
        .append(", discontinuity sequence: ").append(p.discontinuitySequence()).append('\n');
    out.append("segments: ").append(p.segments().size())
        .append(", total duration: ").append(seconds(p.totalDurationUs())).append(" s\n");
    SegmentKey lastKey = null;
    SegmentMap lastMap = null;
    for (Segment s : p.segments()) {
      if (s.discontinuity()) {
        out.append("  -- discontinuity (sequence ").append(s.discontinuitySequence()).append(")\n");
      }
      if (s.map() != null && !s.map().equals(lastMap)) {
        out.append("  map: ").append(s.map().uri());
        if (s.map().byteRange() != null) {
          out.append(" bytes ").append(range(s.map().byteRange()));
        }
        out.append('\n');
      }
      lastMap = s.map();
      boolean keyChanged = s.key() == null
          ? lastKey != null
          : lastKey == null || !s.key().uri().equals(lastKey.uri()) || s.key().method() != lastKey.method();
      if (keyChanged) {
        out.append("  key: ").append(s.key() == null ? "none" : key(s.key())).append('\n');
      }
      lastKey = s.key();
      out.append("  #").append(s.mediaSequence()).append(' ').append(seconds(s.durationUs())).append(" s ")
          .append(s.uri());
      if (s.byteRange() != null) {
        out.append(" bytes ").append(range(s.byteRange()));
      }
      if (s.programDateTime() != null) {
        out.append(" at ").append(s.programDateTime());
      }
      if (s.gap()) {
        out.append(" GAP");
      }
      if (!s.parts().isEmpty()) {
        out.append(" (").append(s.parts().size()).append(" parts)");
      }
      out.append('\n');
    }
    if (!p.trailingParts().isEmpty()) {
      out.append("parts after the last segment: ").append(p.trailingParts().size()).append('\n');
    }
    if (p.preloadHint() != null) {
      out.append("preload hint: ").append(p.preloadHint().type()).append(' ').append(p.preloadHint().uri())
          .append('\n');
    }
    return out.toString().stripTrailing();
  }

  private static String key(SegmentKey key) {
    StringBuilder out = new StringBuilder(key.method().name().replace('_', '-'));
    if (key.uri() != null) {
      out.append(' ').append(key.uri());
    }
    if (key.ivHex() != null) {
      out.append(key.ivExplicit() ? " iv=0x" + key.ivHex() : " iv=media sequence");
    }
    if (!SegmentKey.IDENTITY_KEY_FORMAT.equals(key.keyFormat())) {
      out.append(" keyformat=").append(key.keyFormat());
    }
    return out.toString();
  }

  private static String range(ByteRange range) {
    return range.offsetBytes() + "-" + range.lastByteInclusive() + " (" + range.lengthBytes() + ")";
  }

  private static String seconds(long us) {
    return String.format(Locale.ROOT, "%.3f", us / 1_000_000.0);
  }
}
