package io.abrfetch.playlist;

/**
 * The {@code EXT-X-SERVER-CONTROL} of a low-latency playlist.
 *
 * @param canBlockReload whether the server supports blocking playlist reload
 * @param canSkipUntilUs the skip boundary in microseconds, null when the server cannot skip
 * @param holdBackUs the minimum distance from the live edge in microseconds, null when absent
 * @param partHoldBackUs the minimum distance from the live edge in low-latency mode, null when absent
 */
public record ServerControl(
    boolean canBlockReload, Long canSkipUntilUs, Long holdBackUs, Long partHoldBackUs) {}
