/**
 * abrfetch as a Vert.x deployment: {@link io.abrfetch.player.serve.FetcherVerticle} (config in
 * {@link io.abrfetch.player.serve.ServeConfig}), its event-bus and HTTP APIs over playback
 * sessions, and the {@code serve} command.
 *
 * <p>Threading: the verticle's state, its sessions and both front ends are confined to the
 * verticle's event-loop context; nothing here blocks it. The config types are immutable values.
 * {@link io.abrfetch.player.serve.ServeCommand#call()} blocks the main thread until stopped.
 */
package io.abrfetch.player.serve;
