package io.abrfetch.player;

import io.abrfetch.fetcher.hls.HlsEvent;
import io.abrfetch.fetcher.hls.HlsException;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.RecordComponent;
import java.time.Duration;

/**
 * What happened in a {@link HeadlessPlayer}; listeners get them on the player's context, in order.
 * Each has {@link #toJson()} with a {@code "type"} field (the event bus and {@code play --json}
 * form).
 */
public sealed interface PlayerEvent {

  /** The event as JSON, with a {@code "type"} field. */
  JsonObject toJson();

  /** Playback started: the startup threshold was buffered {@code startupMs} after the start. */
  record Started(long startupMs) implements PlayerEvent {
    @Override
    public JsonObject toJson() {
      return new JsonObject().put("type", "started").put("startupMs", startupMs);
    }
  }

  /** The buffer ran dry at media position {@code positionUs}: a stall began. */
  record Stalled(long positionUs, int stallCount) implements PlayerEvent {
    @Override
    public JsonObject toJson() {
      return new JsonObject().put("type", "stalled").put("positionMs", positionUs / 1_000)
          .put("stalls", stallCount);
    }
  }

  /** Playback resumed after a stall; {@code stallMsTotal} is the session's stall time so far. */
  record Resumed(long positionUs, long stallMsTotal) implements PlayerEvent {
    @Override
    public JsonObject toJson() {
      return new JsonObject().put("type", "resumed").put("positionMs", positionUs / 1_000)
          .put("stallMs", stallMsTotal);
    }
  }

  /**
   * The video segments received moved from variant {@code fromIndex} to {@code toIndex}, at
   * segment {@code mediaSequence} (which starts at media time {@code mediaStartUs}).
   */
  record Switched(int fromIndex, int toIndex, long fromBitrateBps, long toBitrateBps,
      long mediaSequence, long mediaStartUs) implements PlayerEvent {
    /** Whether the switch went to a higher variant. */
    public boolean isUp() {
      return toIndex > fromIndex;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("type", "switched").put("fromIndex", fromIndex)
          .put("toIndex", toIndex).put("fromBitrateBps", fromBitrateBps)
          .put("toBitrateBps", toBitrateBps).put("mediaSequence", mediaSequence)
          .put("mediaStartMs", mediaStartUs / 1_000).put("up", isUp());
    }
  }

  /** Periodic status, every {@link HeadlessPlayerOptions#statusIntervalMs()}. */
  record Progress(PlayerStatus status) implements PlayerEvent {
    @Override
    public JsonObject toJson() {
      return status.toJson().put("type", "progress");
    }
  }

  /** The session is over (end of stream, maximum duration, or closed); the last event. */
  record Ended(PlayerResult result) implements PlayerEvent {
    @Override
    public JsonObject toJson() {
      return result.toJson().put("type", "ended");
    }
  }

  /**
   * The session failed; the last event. {@code error} is the track's {@link HlsException}, or
   * the {@link MediaSink}'s failure.
   */
  record Failed(Throwable error) implements PlayerEvent {
    /** The HLS failure kind's name, or {@code "SINK"} when the media sink failed. */
    public String kind() {
      return error instanceof HlsException h ? h.kind().name() : "SINK";
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("type", "failed").put("kind", kind())
          .put("message", String.valueOf(error.getMessage()));
    }
  }

  /** An event of the player's HLS session (variant switches, abandons, retries, reloads ...). */
  record Hls(HlsEvent event) implements PlayerEvent {
    /**
     * {@code {"type": "hls", "event": "SegmentReady", "track": "VIDEO", ...}} with the event's
     * fields: numbers, booleans and strings as they are, enums by name, durations as
     * {@code <name>Ms}, errors by message; the event's own {@code type} (its track) is
     * {@code track}.
     */
    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("type", "hls")
          .put("event", event.getClass().getSimpleName());
      for (RecordComponent component : event.getClass().getRecordComponents()) {
        Object value;
        try {
          value = component.getAccessor().invoke(event);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("unreadable " + component, e);
        }
        String name = component.getName().equals("type") ? "track" : component.getName();
        if (value == null || value instanceof Number || value instanceof Boolean
            || value instanceof String) {
          json.put(name, value);
        } else if (value instanceof Enum<?> e) {
          json.put(name, e.name());
        } else if (value instanceof Duration d) {
          json.put(name + "Ms", d.toMillis());
        } else if (value instanceof Throwable t) {
          json.put(name, String.valueOf(t.getMessage()));
        } else {
          json.put(name, value.toString());
        }
      }
      return json;
    }
  }
}
