package io.abrfetch.player.load;

import java.lang.management.ManagementFactory;

/**
 * What the benchmark reads about this process: heap in use after a full collection, and CPU time.
 * {@link #usedAfterGcBytes()} pauses the whole JVM (event loops included): benchmarks only.
 *
 * <p>Threading: call from the command's thread, never from an event loop.
 */
final class HeapProbe {

  private HeapProbe() {}

  /** Heap bytes in use after {@link System#gc()} (twice, to let finalizable objects go). */
  static long usedAfterGcBytes() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    System.gc();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  /** CPU time of the whole process so far, in nanoseconds, or -1 when the JVM cannot tell. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
