package io.abrfetch.player.serve;

import io.abrfetch.abr.AbrController;
import io.abrfetch.abr.AbrControllerOptions;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * An {@link AbrController} whose meters go to a shared registry through a registry of its own,
 * so its per-controller estimate gauge can be removed from the shared one when the controller is
 * dropped (the switch counters, shared by all controllers, stay).
 *
 * <p>Threading: as {@link AbrController}; {@link #release} is called once, by the owner.
 */
record MeteredController(AbrController abr, CompositeMeterRegistry meters, MeterRegistry shared) {

  private static final String ESTIMATE_GAUGE = "abrfetch.abr.bandwidth.estimate";

  static MeteredController create(AbrControllerOptions options, MeterRegistry shared) {
    CompositeMeterRegistry meters = new CompositeMeterRegistry();
    meters.add(shared);
    return new MeteredController(AbrController.create(options, meters), meters, shared);
  }

  /** Removes the controller's estimate gauge from the shared registry. */
  void release() {
    for (Meter meter : meters.getMeters()) {
      if (meter.getId().getName().equals(ESTIMATE_GAUGE)) {
        shared.remove(meter.getId());
      }
    }
  }
}
