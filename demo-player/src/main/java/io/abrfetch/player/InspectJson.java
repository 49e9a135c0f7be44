package io.abrfetch.player;

import io.abrfetch.playlist.ByteRange;
import io.abrfetch.playlist.IFrameVariant;
import io.abrfetch.playlist.MasterPlaylist;
import io.abrfetch.playlist.MediaPlaylist;
import io.abrfetch.playlist.Part;
import io.abrfetch.playlist.Playlist;
import io.abrfetch.playlist.Rendition;
import io.abrfetch.playlist.Segment;
import io.abrfetch.playlist.SegmentKey;
import io.abrfetch.playlist.Variant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@code inspect --json} form of a playlist: one object with {@code "type"} {@code "master"}
 * or {@code "media"}; fields that do not apply (or are absent from the playlist) are omitted.
 */
final class InspectJson {
  private InspectJson() {}

  static JsonObject of(Playlist playlist) {
    return playlist instanceof MasterPlaylist master ? master(master) : media((MediaPlaylist) playlist);
  }

  private static JsonObject master(MasterPlaylist p) {
    JsonObject json = new JsonObject()
        .put("type", "master")
        .put("uri", p.uri().toString())
        .put("version", p.version());
    if (p.independentSegments()) {
      json.put("independentSegments", true);
    }
    JsonArray variants = new JsonArray();
    for (Variant v : p.ladder().variants()) {
      JsonObject n = new JsonObject().put("bandwidth", v.bandwidthBps()).put("uri", v.uri().toString());
      putIfNotNull(n, "averageBandwidth", v.averageBandwidthBps());
      putIfNotNull(n, "resolution", v.resolution() == null ? null : v.resolution().toString());
      if (!v.codecs().isEmpty()) {
        n.put("codecs", String.join(",", v.codecs()));
      }
      putIfNotNull(n, "frameRate", v.frameRateFps());
      putIfNotNull(n, "audio", v.audioGroupId());
      putIfNotNull(n, "video", v.videoGroupId());
      putIfNotNull(n, "subtitles", v.subtitlesGroupId());
      putIfNotNull(n, "closedCaptions", v.closedCaptionsGroupId());
      variants.add(n);
    }
    json.put("variants", variants);
    JsonArray renditions = new JsonArray();
    for (Rendition r : p.renditions()) {
      JsonObject n = new JsonObject()
          .put("type", r.type().name())
          .put("groupId", r.groupId())
          .put("name", r.name())
          .put("default", r.isDefault())
          .put("autoSelect", r.autoSelect());
      putIfNotNull(n, "language", r.language());
      if (r.forced()) {
        n.put("forced", true);
      }
      putIfNotNull(n, "channels", r.channels());
      putIfNotNull(n, "instreamId", r.instreamId());
      putIfNotNull(n, "uri", r.uri() == null ? null : r.uri().toString());
      renditions.add(n);
    }
    json.put("renditions", renditions);
    if (!p.iFrameVariants().isEmpty()) {
      JsonArray iframes = new JsonArray();
      for (IFrameVariant v : p.iFrameVariants()) {
        JsonObject n = new JsonObject().put("bandwidth", v.bandwidthBps()).put("uri", v.uri().toString());
        putIfNotNull(n, "resolution", v.resolution() == null ? null : v.resolution().toString());
        if (!v.codecs().isEmpty()) {
          n.put("codecs", String.join(",", v.codecs()));
        }
        iframes.add(n);
      }
      json.put("iFrameVariants", iframes);
    }
    if (!p.sessionKeys().isEmpty()) {
      JsonArray keys = new JsonArray();
      p.sessionKeys().forEach(k -> keys.add(key(k)));
      json.put("sessionKeys", keys);
    }
    return json;
  }

  private static JsonObject media(MediaPlaylist p) {
    JsonObject json = new JsonObject()
        .put("type", "media")
        .put("uri", p.uri().toString())
        .put("version", p.version())
        .put("targetDurationS", p.targetDurationS())
        .put("mediaSequence", p.mediaSequence())
        .put("discontinuitySequence", p.discontinuitySequence());
    putIfNotNull(json, "playlistType", p.playlistType() == null ? null : p.playlistType().name());
    json.put("endList", p.hasEndList());
    if (p.iFramesOnly()) {
      json.put("iFramesOnly", true);
    }
    if (p.skippedSegments() > 0) {
      json.put("skippedSegments", p.skippedSegments());
    }
    putIfNotNull(json, "partTargetDurationUs", p.partTargetDurationUs());
    json.put("segmentCount", p.segments().size());
    json.put("totalDurationUs", p.totalDurationUs());
    JsonArray segments = new JsonArray();
    for (Segment s : p.segments()) {
      JsonObject n = new JsonObject()
          .put("mediaSequence", s.mediaSequence())
          .put("uri", s.uri().toString())
          .put("durationUs", s.durationUs());
      if (s.byteRange() != null) {
        n.put("byteRange", range(s.byteRange()));
      }
      if (s.key() != null) {
        n.put("key", key(s.key()));
      }
      if (s.map() != null) {
        JsonObject map = new JsonObject().put("uri", s.map().uri().toString());
        if (s.map().byteRange() != null) {
          map.put("byteRange", range(s.map().byteRange()));
        }
        n.put("map", map);
      }
      if (s.discontinuity()) {
        n.put("discontinuity", true);
      }
      putIfNotNull(n, "programDateTime", s.programDateTime() == null ? null : s.programDateTime().toString());
      if (s.gap()) {
        n.put("gap", true);
      }
      if (!s.parts().isEmpty()) {
        n.put("parts", parts(s.parts()));
      }
      segments.add(n);
    }
    json.put("segments", segments);
    if (!p.trailingParts().isEmpty()) {
      json.put("trailingParts", parts(p.trailingParts()));
    }
    if (p.preloadHint() != null) {
      json.put("preloadHint", new JsonObject()
          .put("type", p.preloadHint().type().name())
          .put("uri", p.preloadHint().uri().toString()));
    }
    return json;
  }

  private static JsonArray parts(List<Part> parts) {
    JsonArray array = new JsonArray();
    for (Part part : parts) {
      JsonObject n = new JsonObject().put("uri", part.uri().toString()).put("durationUs", part.durationUs());
      if (part.byteRange() != null) {
        n.put("byteRange", range(part.byteRange()));
      }
      if (part.independent()) {
        n.put("independent", true);
      }
      array.add(n);
    }
    return array;
  }

  private static JsonObject range(ByteRange range) {
    return new JsonObject().put("offset", range.offsetBytes()).put("length", range.lengthBytes());
  }

  private static JsonObject key(SegmentKey key) {
    JsonObject n = new JsonObject().put("method", key.method().name().replace('_', '-'));
    putIfNotNull(n, "uri", key.uri() == null ? null : key.uri().toString());
    putIfNotNull(n, "iv", key.ivHex() == null ? null : "0x" + key.ivHex());
    if (!SegmentKey.IDENTITY_KEY_FORMAT.equals(key.keyFormat())) {
      n.put("keyFormat", key.keyFormat());
    }
    return n;
  }

  private static void putIfNotNull(JsonObject json, String name, Object value) {
    if (value != null) {
      json.put(name, value);
    }
  }
}
