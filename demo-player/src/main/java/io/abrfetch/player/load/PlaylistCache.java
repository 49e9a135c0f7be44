package io.abrfetch.player.load;

import io.abrfetch.playlist.MasterPlaylist;
import io.abrfetch.playlist.MediaPlaylist;
import io.abrfetch.playlist.PlaylistException;
import io.abrfetch.playlist.PlaylistParser;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed playlists shared by the viewers of a process, keyed by URL and body: a body already
 * parsed for that URL (same length and hash, and bytes equal) is not parsed again. Viewers still
 * issue every playlist request a player would; only the parsing is shared. Playlists are immutable
 * records, so sharing them is safe.
 *
 * <p>Threading: thread-safe (a concurrent map of immutable entries); parsing runs on the caller's
 * event loop (playlists are small).
 */
final class PlaylistCache {

  private record Entry(byte[] body, Object parsed) {}

  private final PlaylistParser parser = new PlaylistParser();
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  /** The master playlist of {@code body}, parsed once per distinct body of {@code uri}. */
  MasterPlaylist master(URI uri, Buffer body) throws PlaylistException {
    Object parsed = lookup(uri, body);
    if (parsed instanceof MasterPlaylist master) {
      return master;
    }
    byte[] bytes = body.getBytes();
    MasterPlaylist master = parser.parseMaster(uri, bytes);
    entries.put(uri.toString(), new Entry(bytes, master));
    return master;
  }

  /** The media playlist of {@code body}, parsed once per distinct body of {@code uri}. */
  MediaPlaylist media(URI uri, Buffer body) throws PlaylistException {
    Object parsed = lookup(uri, body);
    if (parsed instanceof MediaPlaylist media) {
      return media;
    }
    byte[] bytes = body.getBytes();
    MediaPlaylist media = parser.parseMedia(uri, bytes);
    entries.put(uri.toString(), new Entry(bytes, media));
    return media;
  }

  private Object lookup(URI uri, Buffer body) {
    Entry entry = entries.get(uri.toString());
    if (entry == null || entry.body.length != body.length()) {
      return null;
    }
    return Arrays.equals(entry.body, body.getBytes()) ? entry.parsed : null;
  }

  /** Distinct URLs held. */
  int size() {
    return entries.size();
  }
}
