/**
 * The {@code abrfetch} command line and what it runs: subcommands built with picocli on top of the
 * library modules.
 *
 * <p>Threading: a command's {@code call()} runs on the main thread and may block it (it waits for
 * Vert.x futures there); everything it hands to Vert.x runs on event loops and never blocks.
 */
package io.abrfetch.player;
