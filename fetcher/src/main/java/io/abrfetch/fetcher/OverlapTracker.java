package io.abrfetch.fetcher;

import java.util.Arrays;

/**
 * The most requests in flight at once during a request's run, without touching every running
 * request at each dispatch: dispatches are numbered, and a request asks for the maximum over the
 * dispatches since its own ({@link #maxSince}). Keeps a stack of (dispatch number, in flight)
 * whose counts strictly decrease, so it holds at most as many entries as the in-flight cap;
 * recording is amortized O(1), a query O(log cap).
 *
 * <p>Threading: not thread-safe; the downloader confines it to its event loop.
 */
final class OverlapTracker {

  private long dispatches;
  private long[] numbers = new long[8];
  private int[] inFlights = new int[8];
  private int size;

  /** Records a dispatch after which {@code inFlight} requests run; returns its number (from 1). */
  long record(int inFlight) {
    long number = ++dispatches;
    // An earlier dispatch with no more in flight than this one can no longer be anyone's maximum.
    while (size > 0 && inFlights[size - 1] <= inFlight) {
      size--;
    }
    if (size == numbers.length) {
      numbers = Arrays.copyOf(numbers, size * 2);
      inFlights = Arrays.copyOf(inFlights, size * 2);
    }
    numbers[size] = number;
    inFlights[size] = inFlight;
    size++;
    return number;
  }

  /** The most in flight recorded by any dispatch numbered {@code sinceNumber} or later; else 0. */
  int maxSince(long sinceNumber) {
    int low = 0;
    int high = size; // first entry with numbers[i] >= sinceNumber, in [low, high]
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (numbers[mid] < sinceNumber) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low < size ? inFlights[low] : 0;
  }
}
