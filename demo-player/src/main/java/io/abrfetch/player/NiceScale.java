package io.abrfetch.player;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An axis range with evenly spaced ticks at 1, 2 or 5 times a power of ten (Heckbert's "nice
 * numbers" from Graphics Gems): either widened to whole ticks ({@link #of}) or exactly the data's
 * range with the ticks that fall inside it ({@link #tight}).
 *
 * @param min the axis start
 * @param max the axis end, {@code > min}
 * @param step the distance between ticks, {@code > 0}
 */
record NiceScale(double min, double max, double step) {
  NiceScale {
    if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
      throw new IllegalArgumentException("range: [" + min + ", " + max + "] (expected: finite, max > min)");
    }
    if (!(step > 0) || !Double.isFinite(step)) {
      throw new IllegalArgumentException("step: " + step + " (expected: finite and > 0)");
    }
  }

  /**
   * The nice scale covering {@code [dataMin, dataMax]} with about {@code maxTicks} ticks, widened
   * to whole ticks; an empty range is widened around its value.
   */
  static NiceScale of(double dataMin, double dataMax, int maxTicks) {
    NiceScale tight = tight(dataMin, dataMax, maxTicks);
    double step = tight.step;
    double niceMin = Math.floor(tight.min / step) * step;
    double niceMax = Math.ceil(tight.max / step) * step;
    if (niceMax <= niceMin) {
      niceMax = niceMin + step;
    }
    return new NiceScale(niceMin, niceMax, step);
  }

  /**
   * The scale spanning exactly {@code [dataMin, dataMax]} (an empty range widened around its
   * value) with the nice step {@link #of} would pick: for a time axis that should end where the
   * data ends.
   */
  static NiceScale tight(double dataMin, double dataMax, int maxTicks) {
    if (!Double.isFinite(dataMin) || !Double.isFinite(dataMax) || dataMin > dataMax) {
      throw new IllegalArgumentException(
          "data range: [" + dataMin + ", " + dataMax + "] (expected: finite, min <= max)");
    }
    if (maxTicks < 2) {
      throw new IllegalArgumentException("maxTicks: " + maxTicks + " (expected: >= 2)");
    }
    if (dataMin == dataMax) {
      double pad = dataMin == 0 ? 1 : Math.abs(dataMin) * 0.1;
      dataMin = dataMin >= 0 && dataMin - pad < 0 ? 0 : dataMin - pad;
      dataMax = dataMax + pad;
    }
    double range = niceNumber(dataMax - dataMin, false);
    double step = niceNumber(range / (maxTicks - 1), true);
    return new NiceScale(dataMin, dataMax, step);
  }

  /** The multiples of the step from {@code min} to {@code max} inclusive, rounded to its precision. */
  List<Double> ticks() {
    List<Double> ticks = new ArrayList<>();
    // The tolerance keeps a bound that is a multiple up to rounding (0.30000000000000004).
    long first = (long) Math.ceil(min / step - 1e-9);
    long last = (long) Math.floor(max / step + 1e-9);
    for (long i = first; i <= last; i++) {
      ticks.add(round(i * step));
    }
    return ticks;
  }

  /** {@code value} as a tick label: as many decimals as the step needs, no more. */
  String label(double value) {
    return String.format(Locale.ROOT, "%." + decimals() + "f", round(value) == 0 ? 0.0 : value);
  }

  private int decimals() {
    return Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
  }

  private double round(double value) {
    double scale = Math.pow(10, decimals());
    return Math.round(value * scale) / scale;
  }

  /** A 1, 2, 5 or 10 times a power of ten near {@code range}: rounded, or at least it if not. */
  private static double niceNumber(double range, boolean round) {
    double exponent = Math.floor(Math.log10(range));
    double fraction = range / Math.pow(10, exponent);
    double nice;
    if (round) {
      nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
    } else {
      nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
    }
    return nice * Math.pow(10, exponent);
  }
}
