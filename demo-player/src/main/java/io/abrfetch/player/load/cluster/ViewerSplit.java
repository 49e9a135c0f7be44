package io.abrfetch.player.load.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Shares a run's viewers among workers: contiguous viewer-index ranges in the order the workers
 * are given, sizes in proportion to their weights (cores, or 1 each) by the largest-remainder
 * method, no worker above its maximum. Pure and deterministic.
 */
final class ViewerSplit {

  /** A worker as the split sees it: its id, weight and the most viewers it takes (0: no limit). */
  record Capacity(String workerId, int weight, int maxViewers) {
    Capacity {
      Objects.requireNonNull(workerId, "workerId");
      if (weight < 1) {
        throw new IllegalArgumentException("worker " + workerId + " weight: " + weight
            + " (expected: >= 1)");
      }
      if (maxViewers < 0) {
        throw new IllegalArgumentException("worker " + workerId + " maxViewers: " + maxViewers
            + " (expected: >= 0)");
      }
    }

    long limit() {
      return maxViewers == 0 ? Long.MAX_VALUE : maxViewers;
    }
  }

  /** One worker's share: viewers {@code firstViewerIndex .. firstViewerIndex + viewerCount - 1}. */
  record Share(String workerId, int firstViewerIndex, int viewerCount) {}

  private ViewerSplit() {}

  /**
   * Splits {@code viewers} among {@code workers}.
   *
   * @throws IllegalArgumentException when the workers' maxima add up to fewer than {@code viewers}
   */
  static List<Share> split(int viewers, List<Capacity> workers) {
    if (viewers < 0) {
      throw new IllegalArgumentException("viewers: " + viewers + " (expected: >= 0)");
    }
    if (workers.isEmpty()) {
      throw new IllegalArgumentException("workers: none (expected: at least one)");
    }
    long capacity = 0;
    for (Capacity worker : workers) {
      capacity = saturatedAdd(capacity, worker.limit());
    }
    if (capacity < viewers) {
      StringBuilder limits = new StringBuilder();
      workers.forEach(w -> limits.append(limits.length() == 0 ? "" : ", ")
          .append(w.workerId()).append(" max ").append(w.maxViewers()));
      throw new IllegalArgumentException(viewers + " viewers but the workers take at most "
          + capacity + " (" + limits + ")");
    }
    int n = workers.size();
    long[] counts = new long[n];
    boolean[] full = new boolean[n];
    long left = viewers;
    // Water filling: share what is left among workers below their maximum; a worker whose share
    // would pass its maximum gets the maximum, and the rest is shared again.
    while (left > 0) {
      long weightSum = 0;
      for (int i = 0; i < n; i++) {
        if (!full[i]) {
          weightSum += workers.get(i).weight();
        }
      }
      long[] add = new long[n];
      long[] remainders = new long[n];
      long given = 0;
      for (int i = 0; i < n; i++) {
        if (!full[i]) {
          long product = left * workers.get(i).weight();
          add[i] = product / weightSum;
          remainders[i] = product % weightSum;
          given += add[i];
        }
      }
      // Largest remainders get the viewers the floors left over; ties go to the earlier worker.
      for (long extra = left - given; extra > 0; extra--) {
        int best = -1;
        for (int i = 0; i < n; i++) {
          if (!full[i] && remainders[i] >= 0 && (best < 0 || remainders[i] > remainders[best])) {
            best = i;
          }
        }
        add[best]++;
        remainders[best] = -1;
      }
      boolean capped = false;
      for (int i = 0; i < n; i++) {
        if (!full[i] && counts[i] + add[i] >= workers.get(i).limit()) {
          left -= workers.get(i).limit() - counts[i];
          counts[i] = workers.get(i).limit();
          full[i] = true;
          capped = true;
        }
      }
      if (!capped) {
        for (int i = 0; i < n; i++) {
          counts[i] += add[i];
        }
        left = 0;
      }
    }
    List<Share> shares = new ArrayList<>(n);
    int first = 0;
    for (int i = 0; i < n; i++) {
      shares.add(new Share(workers.get(i).workerId(), first, (int) counts[i]));
      first += (int) counts[i];
    }
    return List.copyOf(shares);
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
