package io.abrfetch.player.load.cluster;

import io.abrfetch.player.load.LoadSample;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sums the workers' one-second timelines into one: samples fall into the interval their {@code
 * elapsedMs} rounds to (one per worker and interval; all workers count from the common start);
 * viewers, rates, stalls and errors add up; a percentile is the largest of the workers' (an upper
 * bound: samples carry no histograms; the run's exact percentiles are in the merged {@code
 * LoadMetrics}). Pure.
 */
final class TimelineMerge {

  private TimelineMerge() {}

  static List<LoadSample> merge(Collection<List<LoadSample>> timelines, long intervalMs) {
    Map<Long, LoadSample> byInterval = new TreeMap<>();
    for (List<LoadSample> timeline : timelines) {
      // Within one worker a later sample of the same interval replaces an earlier one (timer
      // jitter), so no worker is counted twice.
      Map<Long, LoadSample> own = new TreeMap<>();
      for (LoadSample sample : timeline) {
        own.put(Math.round(sample.elapsedMs() / (double) intervalMs), sample);
      }
      own.forEach((slot, sample) -> byInterval.merge(slot, sample, TimelineMerge::add));
    }
    List<LoadSample> merged = new ArrayList<>(byInterval.size());
    byInterval.forEach((slot, sample) -> merged.add(new LoadSample(slot * intervalMs,
        sample.activeViewers(), sample.requestsPerSecond(), sample.bytesPerSecond(),
        sample.segmentMsP50(), sample.segmentMsP95(), sample.segmentMsP99(), sample.stalls(),
        sample.stalledViewers(), sample.errors(), sample.schedulingLagMsP99())));
    return merged;
  }

  private static LoadSample add(LoadSample a, LoadSample b) {
    return new LoadSample(
        a.elapsedMs(),
        a.activeViewers() + b.activeViewers(),
        a.requestsPerSecond() + b.requestsPerSecond(),
        a.bytesPerSecond() + b.bytesPerSecond(),
        Math.max(a.segmentMsP50(), b.segmentMsP50()),
        Math.max(a.segmentMsP95(), b.segmentMsP95()),
        Math.max(a.segmentMsP99(), b.segmentMsP99()),
        a.stalls() + b.stalls(),
        a.stalledViewers() + b.stalledViewers(),
        a.errors() + b.errors(),
        Math.max(a.schedulingLagMsP99(), b.schedulingLagMsP99()));
  }
}
