package io.abrfetch.playlist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The golden-file form of the playlist model: every field, with null values, false flags and
 * empty lists left out so that the expected files stay readable.
 */
final class ModelJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private ModelJson() {}

  static ObjectNode of(Playlist playlist) {
    return playlist instanceof MasterPlaylist master ? master(master) : media((MediaPlaylist) playlist);
  }

  static ObjectNode error(java.net.URI uri, PlaylistException e) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("uri", uri.toString());
    ObjectNode error = node.putObject("error");
    error.put("kind", e.kind().name());
    error.put("line", e.lineNumber());
    return node;
  }

  private static ObjectNode master(MasterPlaylist p) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("type", "master");
    node.put("uri", p.uri().toString());
    node.put("version", p.version());
    flag(node, "independentSegments", p.independentSegments());
    ArrayNode variants = node.putArray("variants");
    for (Variant v : p.variants()) {
      ObjectNode n = variants.addObject();
      n.put("uri", v.uri().toString());
      n.put("bandwidthBps", v.bandwidthBps());
      put(n, "averageBandwidthBps", v.averageBandwidthBps());
      strings(n, "codecs", v.codecs());
      put(n, "resolution", v.resolution() == null ? null : v.resolution().toString());
      if (v.frameRateFps() != null) {
        n.put("frameRateFps", v.frameRateFps());
      }
      put(n, "audioGroupId", v.audioGroupId());
      put(n, "videoGroupId", v.videoGroupId());
      put(n, "subtitlesGroupId", v.subtitlesGroupId());
      put(n, "closedCaptionsGroupId", v.closedCaptionsGroupId());
    }
    ArrayNode ladder = node.putArray("ladderUris");
    p.ladder().variants().forEach(v -> ladder.add(v.uri().toString()));
    if (!p.iFrameVariants().isEmpty()) {
      ArrayNode iframes = node.putArray("iFrameVariants");
      for (IFrameVariant v : p.iFrameVariants()) {
        ObjectNode n = iframes.addObject();
        n.put("uri", v.uri().toString());
        n.put("bandwidthBps", v.bandwidthBps());
        put(n, "averageBandwidthBps", v.averageBandwidthBps());
        strings(n, "codecs", v.codecs());
        put(n, "resolution", v.resolution() == null ? null : v.resolution().toString());
        put(n, "videoGroupId", v.videoGroupId());
      }
    }
    if (!p.renditions().isEmpty()) {
      ArrayNode renditions = node.putArray("renditions");
      for (Rendition r : p.renditions()) {
        ObjectNode n = renditions.addObject();
        n.put("type", r.type().name());
        n.put("groupId", r.groupId());
        n.put("name", r.name());
        put(n, "language", r.language());
        put(n, "assocLanguage", r.assocLanguage());
        flag(n, "default", r.isDefault());
        flag(n, "autoSelect", r.autoSelect());
        flag(n, "forced", r.forced());
        put(n, "instreamId", r.instreamId());
        strings(n, "characteristics", r.characteristics());
        put(n, "channels", r.channels());
        put(n, "uri", r.uri() == null ? null : r.uri().toString());
      }
    }
    if (!p.sessionKeys().isEmpty()) {
      ArrayNode keys = node.putArray("sessionKeys");
      p.sessionKeys().forEach(k -> keys.add(key(k)));
    }
    if (!p.sessionData().isEmpty()) {
      ArrayNode data = node.putArray("sessionData");
      for (SessionData d : p.sessionData()) {
        ObjectNode n = data.addObject();
        n.put("dataId", d.dataId());
        put(n, "value", d.value());
        put(n, "uri", d.uri() == null ? null : d.uri().toString());
        put(n, "language", d.language());
      }
    }
    return node;
  }

  private static ObjectNode media(MediaPlaylist p) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("type", "media");
    node.put("uri", p.uri().toString());
    node.put("version", p.version());
    node.put("targetDurationUs", p.targetDurationUs());
    node.put("mediaSequence", p.mediaSequence());
    node.put("discontinuitySequence", p.discontinuitySequence());
    put(node, "playlistType", p.playlistType() == null ? null : p.playlistType().name());
    flag(node, "hasEndList", p.hasEndList());
    flag(node, "iFramesOnly", p.iFramesOnly());
    flag(node, "independentSegments", p.independentSegments());
    if (p.skippedSegments() != 0) {
      node.put("skippedSegments", p.skippedSegments());
    }
    put(node, "partTargetDurationUs", p.partTargetDurationUs());
    if (p.serverControl() != null) {
      ObjectNode n = node.putObject("serverControl");
      flag(n, "canBlockReload", p.serverControl().canBlockReload());
      put(n, "canSkipUntilUs", p.serverControl().canSkipUntilUs());
      put(n, "holdBackUs", p.serverControl().holdBackUs());
      put(n, "partHoldBackUs", p.serverControl().partHoldBackUs());
    }
    node.put("totalDurationUs", p.totalDurationUs());
    ArrayNode segments = node.putArray("segments");
    for (Segment s : p.segments()) {
      ObjectNode n = segments.addObject();
      n.put("mediaSequence", s.mediaSequence());
      n.put("discontinuitySequence", s.discontinuitySequence());
      n.put("uri", s.uri().toString());
      n.put("durationUs", s.durationUs());
      n.put("startUs", s.startUs());
      put(n, "title", s.title());
      if (s.byteRange() != null) {
        n.set("byteRange", range(s.byteRange()));
      }
      if (s.key() != null) {
        n.set("key", key(s.key()));
      }
      if (s.map() != null) {
        ObjectNode map = n.putObject("map");
        map.put("uri", s.map().uri().toString());
        if (s.map().byteRange() != null) {
          map.set("byteRange", range(s.map().byteRange()));
        }
      }
      flag(n, "discontinuity", s.discontinuity());
      put(n, "programDateTime", s.programDateTime() == null ? null : s.programDateTime().toString());
      flag(n, "gap", s.gap());
      if (!s.parts().isEmpty()) {
        n.set("parts", parts(s.parts()));
      }
    }
    if (!p.trailingParts().isEmpty()) {
      node.set("trailingParts", parts(p.trailingParts()));
    }
    if (p.preloadHint() != null) {
      ObjectNode n = node.putObject("preloadHint");
      n.put("type", p.preloadHint().type().name());
      n.put("uri", p.preloadHint().uri().toString());
      n.put("byteRangeStartBytes", p.preloadHint().byteRangeStartBytes());
      put(n, "byteRangeLengthBytes", p.preloadHint().byteRangeLengthBytes());
    }
    return node;
  }

  private static ArrayNode parts(List<Part> parts) {
    ArrayNode array = MAPPER.createArrayNode();
    for (Part part : parts) {
      ObjectNode n = array.addObject();
      n.put("uri", part.uri().toString());
      n.put("durationUs", part.durationUs());
      flag(n, "independent", part.independent());
      if (part.byteRange() != null) {
        n.set("byteRange", range(part.byteRange()));
      }
      flag(n, "gap", part.gap());
    }
    return array;
  }

  private static JsonNode range(ByteRange range) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("offset", range.offsetBytes());
    n.put("length", range.lengthBytes());
    return n;
  }

  private static JsonNode key(SegmentKey key) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("method", key.method().name());
    put(n, "uri", key.uri() == null ? null : key.uri().toString());
    put(n, "iv", key.ivHex());
    flag(n, "ivExplicit", key.ivExplicit());
    n.put("keyFormat", key.keyFormat());
    put(n, "keyFormatVersions", key.keyFormatVersions());
    return n;
  }

  private static void flag(ObjectNode node, String name, boolean value) {
    if (value) {
      node.put(name, true);
    }
  }

  private static void put(ObjectNode node, String name, String value) {
    if (value != null) {
      node.put(name, value);
    }
  }

  private static void put(ObjectNode node, String name, Long value) {
    if (value != null) {
      node.put(name, value);
    }
  }

  private static void strings(ObjectNode node, String name, List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode array = node.putArray(name);
      values.forEach(array::add);
    }
  }
}
