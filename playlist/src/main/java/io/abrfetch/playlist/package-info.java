/**
 * The HLS playlist model: {@link io.abrfetch.playlist.PlaylistParser} turns a playlist body into
 * an immutable {@link io.abrfetch.playlist.MasterPlaylist} or
 * {@link io.abrfetch.playlist.MediaPlaylist}, and {@link io.abrfetch.playlist.LiveReloadSchedule}
 * keeps a live playlist's segments and reload times.
 *
 * <p>Threading: pure code with no I/O and no Vert.x. The model types are immutable values, safe to
 * share between threads; {@code PlaylistParser} is stateless and thread-safe.
 * {@code LiveReloadSchedule} is mutable and not thread-safe: confine each instance to one thread
 * (in a Vert.x application, the event loop of the peer that reloads the playlist). Time comes only
 * from its injected nano clock.
 */
package io.abrfetch.playlist;
