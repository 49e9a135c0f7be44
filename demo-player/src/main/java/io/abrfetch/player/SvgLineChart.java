package io.abrfetch.player;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A line chart drawn as a self-contained SVG element: axes with round-number ticks, any number of
 * line or step series, vertical markers, shaded bands, horizontal reference lines and a legend.
 *
 * <p>No script, no external resource: the markup is valid XML that renders the same inline in an
 * HTML page or as an {@code .svg} file. Every text is escaped; colours are checked against a
 * strict pattern, so no input can inject markup. A point whose x or y is not finite breaks the
 * line (a gap). Every point is drawn: callers bound their series (the player's timeline is
 * already bounded by {@link DecimatingList}).
 *
 * <p>Immutable and thread-safe once built.
 */
public final class SvgLineChart {
  /** Default width, pixels. */
  public static final int DEFAULT_WIDTH_PX = 1_080;
  /** Default height, pixels. */
  public static final int DEFAULT_HEIGHT_PX = 280;
  /** About how many ticks an axis gets. */
  public static final int DEFAULT_MAX_TICKS = 8;

  private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?|[a-z]{3,20}");
  private static final int MARGIN_LEFT_PX = 64;
  private static final int MARGIN_RIGHT_PX = 20;
  private static final int MARGIN_BOTTOM_PX = 44;
  private static final int TITLE_HEIGHT_PX = 26;
  private static final int LEGEND_ROW_HEIGHT_PX = 18;
  /** A rough width of one legend character at 12 px, to wrap the legend before it overflows. */
  private static final double LEGEND_CHAR_WIDTH_PX = 6.8;

  /** How a series joins its points. */
  public enum Style {
    /** Straight segments from point to point. */
    LINE,
    /** The value holds until the next point, then jumps: for bitrates and other levels. */
    STEP
  }

  /** One data point; a non-finite coordinate makes a gap. */
  public record Point(double x, double y) {}

  /**
   * A named series of points in x order.
   *
   * @param name the legend's and the tooltip's text
   * @param color a CSS colour: {@code #rgb}, {@code #rrggbb} or a lowercase name
   * @param style how the points are joined
   * @param dashed whether the line is dashed
   * @param points the data, copied
   */
  public record Series(String name, String color, Style style, boolean dashed, List<Point> points) {
    public Series {
      Objects.requireNonNull(name, "name");
      checkColor(color);
      Objects.requireNonNull(style, "style");
      points = List.copyOf(points);
    }

    /** A solid line series. */
    public static Series line(String name, String color, List<Point> points) {
      return new Series(name, color, Style.LINE, false, points);
    }

    /** A solid step series. */
    public static Series step(String name, String color, List<Point> points) {
      return new Series(name, color, Style.STEP, false, points);
    }

    /** This series, dashed. */
    public Series asDashed() {
      return new Series(name, color, style, true, points);
    }
  }

  /**
   * A vertical line at {@code x}, such as an ABR switch.
   *
   * @param kind the legend entry it belongs to (markers of one kind share a colour)
   * @param tooltip the text shown on hover
   */
  public record Marker(double x, String kind, String tooltip, String color) {
    public Marker {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(tooltip, "tooltip");
      checkColor(color);
    }
  }

  /** A shaded x range, such as a stall; {@code toX >= fromX}. */
  public record Band(double fromX, double toX, String kind, String tooltip, String color) {
    public Band {
      if (!(toX >= fromX)) {
        throw new IllegalArgumentException(
            "band: [" + fromX + ", " + toX + "] (expected: toX >= fromX)");
      }
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(tooltip, "tooltip");
      checkColor(color);
    }
  }

  /** A dashed horizontal reference line at {@code y}, such as a threshold. */
  public record Guide(double y, String label, String color) {
    public Guide {
      if (!Double.isFinite(y)) {
        throw new IllegalArgumentException("guide y: " + y + " (expected: finite)");
      }
      Objects.requireNonNull(label, "label");
      checkColor(color);
    }
  }

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final int widthPx;
  private final int heightPx;
  private final boolean includeZero;
  private final double fixedMinX;
  private final double fixedMaxX;
  private final List<Series> series;
  private final List<Marker> markers;
  private final List<Band> bands;
  private final List<Guide> guides;

  private SvgLineChart(Builder b) {
    this.title = b.title;
    this.xLabel = b.xLabel;
    this.yLabel = b.yLabel;
    this.widthPx = b.widthPx;
    this.heightPx = b.heightPx;
    this.includeZero = b.includeZero;
    this.fixedMinX = b.fixedMinX;
    this.fixedMaxX = b.fixedMaxX;
    this.series = List.copyOf(b.series);
    this.markers = List.copyOf(b.markers);
    this.bands = List.copyOf(b.bands);
    this.guides = List.copyOf(b.guides);
  }

  /** A builder for a chart titled {@code title}. */
  public static Builder builder(String title) {
    return new Builder(title);
  }

  /** The chart's title. */
  public String title() {
    return title;
  }

  /** The series, in drawing order. */
  public List<Series> series() {
    return series;
  }

  /** The chart as one {@code <svg>} element. */
  public String toSvg() {
    List<LegendEntry> legend = legendEntries();
    List<List<LegendEntry>> legendRows = layoutLegend(legend);
    int top = TITLE_HEIGHT_PX + legendRows.size() * LEGEND_ROW_HEIGHT_PX + 10;
    Plot plot = new Plot(MARGIN_LEFT_PX, top, widthPx - MARGIN_RIGHT_PX, heightPx - MARGIN_BOTTOM_PX);

    StringBuilder svg = new StringBuilder(4_096);
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"").append(widthPx)
        .append("\" height=\"").append(heightPx).append("\" viewBox=\"0 0 ").append(widthPx)
        .append(' ').append(heightPx).append("\" role=\"img\" aria-label=\"")
        .append(XmlText.escape(title)).append("\" font-family=\"sans-serif\">\n");
    svg.append("<title>").append(XmlText.escape(title)).append("</title>\n");
    svg.append("<rect x=\"0\" y=\"0\" width=\"").append(widthPx).append("\" height=\"")
        .append(heightPx).append("\" fill=\"#ffffff\"/>\n");
    svg.append("<text x=\"").append(MARGIN_LEFT_PX).append("\" y=\"18\" font-size=\"15\"")
        .append(" font-weight=\"bold\" fill=\"#222222\">").append(XmlText.escape(title))
        .append("</text>\n");
    appendLegend(svg, legendRows);

    Ranges ranges = ranges();
    if (ranges == null) {
      appendFrame(svg, plot);
      svg.append("<text x=\"").append(fmt((plot.left + plot.right) / 2.0)).append("\" y=\"")
          .append(fmt((plot.top + plot.bottom) / 2.0))
          .append("\" font-size=\"14\" fill=\"#888888\" text-anchor=\"middle\">no data</text>\n");
      svg.append("</svg>\n");
      return svg.toString();
    }
    Scale xs = new Scale(ranges.x, plot.left, plot.right);
    Scale ys = new Scale(ranges.y, plot.bottom, plot.top);

    appendGrid(svg, plot, ranges, xs, ys);
    for (Band band : bands) {
      double from = xs.clamped(band.fromX());
      double to = xs.clamped(band.toX());
      svg.append("<rect class=\"band\" x=\"").append(fmt(from)).append("\" y=\"").append(plot.top)
          .append("\" width=\"").append(fmt(Math.max(to - from, 1.0))).append("\" height=\"")
          .append(plot.bottom - plot.top).append("\" fill=\"").append(band.color())
          .append("\" fill-opacity=\"0.18\"><title>").append(XmlText.escape(band.tooltip()))
          .append("</title></rect>\n");
    }
    for (Guide guide : guides) {
      double y = ys.clamped(guide.y());
      svg.append("<line class=\"guide\" x1=\"").append(plot.left).append("\" x2=\"")
          .append(plot.right).append("\" y1=\"").append(fmt(y)).append("\" y2=\"").append(fmt(y))
          .append("\" stroke=\"").append(guide.color())
          .append("\" stroke-width=\"1\" stroke-dasharray=\"2 3\"><title>")
          .append(XmlText.escape(guide.label())).append("</title></line>\n");
      svg.append("<text x=\"").append(plot.right - 4).append("\" y=\"").append(fmt(y - 4))
          .append("\" font-size=\"10\" text-anchor=\"end\" fill=\"").append(guide.color())
          .append("\">").append(XmlText.escape(guide.label())).append("</text>\n");
    }
    for (Series s : series) {
      String path = path(s, xs, ys);
      if (path.isEmpty()) {
        continue;
      }
      svg.append("<path class=\"series\" d=\"").append(path).append("\" fill=\"none\" stroke=\"")
          .append(s.color()).append("\" stroke-width=\"1.8\" stroke-linejoin=\"round\"");
      if (s.dashed()) {
        svg.append(" stroke-dasharray=\"6 4\"");
      }
      svg.append("><title>").append(XmlText.escape(s.name())).append("</title></path>\n");
    }
    for (Marker marker : markers) {
      if (!Double.isFinite(marker.x())) {
        continue;
      }
      double x = xs.clamped(marker.x());
      svg.append("<line class=\"marker\" x1=\"").append(fmt(x)).append("\" x2=\"").append(fmt(x))
          .append("\" y1=\"").append(plot.top).append("\" y2=\"").append(plot.bottom)
          .append("\" stroke=\"").append(marker.color())
          .append("\" stroke-width=\"1.2\" stroke-dasharray=\"3 3\"><title>")
          .append(XmlText.escape(marker.tooltip())).append("</title></line>\n");
    }
    appendFrame(svg, plot);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private void appendGrid(StringBuilder svg, Plot plot, Ranges ranges, Scale xs, Scale ys) {
    svg.append("<g class=\"grid\" stroke=\"#e4e4e4\" stroke-width=\"1\">\n");
    for (double tick : ranges.y.ticks()) {
      double y = ys.at(tick);
      svg.append("<line x1=\"").append(plot.left).append("\" x2=\"").append(plot.right)
          .append("\" y1=\"").append(fmt(y)).append("\" y2=\"").append(fmt(y)).append("\"/>\n");
    }
    for (double tick : ranges.x.ticks()) {
      double x = xs.at(tick);
      svg.append("<line x1=\"").append(fmt(x)).append("\" x2=\"").append(fmt(x)).append("\" y1=\"")
          .append(plot.top).append("\" y2=\"").append(plot.bottom).append("\"/>\n");
    }
    svg.append("</g>\n");
    svg.append("<g class=\"ticks\" font-size=\"11\" fill=\"#444444\">\n");
    for (double tick : ranges.y.ticks()) {
      svg.append("<text x=\"").append(plot.left - 6).append("\" y=\"").append(fmt(ys.at(tick) + 4))
          .append("\" text-anchor=\"end\">").append(ranges.y.label(tick)).append("</text>\n");
    }
    for (double tick : ranges.x.ticks()) {
      svg.append("<text x=\"").append(fmt(xs.at(tick))).append("\" y=\"").append(plot.bottom + 16)
          .append("\" text-anchor=\"middle\">").append(ranges.x.label(tick)).append("</text>\n");
    }
    svg.append("</g>\n");
    svg.append("<text x=\"").append(fmt((plot.left + plot.right) / 2.0)).append("\" y=\"")
        .append(heightPx - 8).append("\" font-size=\"12\" fill=\"#444444\" text-anchor=\"middle\">")
        .append(XmlText.escape(xLabel)).append("</text>\n");
    double yMid = (plot.top + plot.bottom) / 2.0;
    svg.append("<text x=\"14\" y=\"").append(fmt(yMid)).append("\" font-size=\"12\" fill=\"#444444\"")
        .append(" text-anchor=\"middle\" transform=\"rotate(-90 14 ").append(fmt(yMid)).append(")\">")
        .append(XmlText.escape(yLabel)).append("</text>\n");
  }

  private static void appendFrame(StringBuilder svg, Plot plot) {
    svg.append("<rect class=\"frame\" x=\"").append(plot.left).append("\" y=\"").append(plot.top)
        .append("\" width=\"").append(plot.right - plot.left).append("\" height=\"")
        .append(plot.bottom - plot.top).append("\" fill=\"none\" stroke=\"#999999\"/>\n");
  }

  private void appendLegend(StringBuilder svg, List<List<LegendEntry>> rows) {
    svg.append("<g class=\"legend\" font-size=\"12\" fill=\"#333333\">\n");
    for (int r = 0; r < rows.size(); r++) {
      double x = MARGIN_LEFT_PX;
      int y = TITLE_HEIGHT_PX + r * LEGEND_ROW_HEIGHT_PX + 8;
      for (LegendEntry entry : rows.get(r)) {
        switch (entry.kind) {
          case BAND -> svg.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(y - 6)
              .append("\" width=\"18\" height=\"12\" fill=\"").append(entry.color)
              .append("\" fill-opacity=\"0.3\"/>\n");
          case MARKER -> svg.append("<line x1=\"").append(fmt(x + 9)).append("\" x2=\"")
              .append(fmt(x + 9)).append("\" y1=\"").append(y - 7).append("\" y2=\"").append(y + 7)
              .append("\" stroke=\"").append(entry.color)
              .append("\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"/>\n");
          default -> {
            svg.append("<line x1=\"").append(fmt(x)).append("\" x2=\"").append(fmt(x + 18))
                .append("\" y1=\"").append(y).append("\" y2=\"").append(y).append("\" stroke=\"")
                .append(entry.color).append("\" stroke-width=\"2.5\"");
            if (entry.dashed) {
              svg.append(" stroke-dasharray=\"5 3\"");
            }
            svg.append("/>\n");
          }
        }
        svg.append("<text x=\"").append(fmt(x + 24)).append("\" y=\"").append(y + 4).append("\">")
            .append(XmlText.escape(entry.label)).append("</text>\n");
        x += entry.widthPx();
      }
    }
    svg.append("</g>\n");
  }

  private enum EntryKind { SERIES, MARKER, BAND }

  private record LegendEntry(EntryKind kind, String label, String color, boolean dashed) {
    double widthPx() {
      return 24 + label.length() * LEGEND_CHAR_WIDTH_PX + 18;
    }
  }

  private List<LegendEntry> legendEntries() {
    List<LegendEntry> entries = new ArrayList<>();
    for (Series s : series) {
      entries.add(new LegendEntry(EntryKind.SERIES, s.name(), s.color(), s.dashed()));
    }
    // One entry per kind: a session may have hundreds of switches of two kinds.
    Map<String, String> markerKinds = new LinkedHashMap<>();
    for (Marker m : markers) {
      markerKinds.putIfAbsent(m.kind(), m.color());
    }
    markerKinds.forEach((kind, color) -> entries.add(new LegendEntry(EntryKind.MARKER, kind, color, true)));
    Map<String, String> bandKinds = new LinkedHashMap<>();
    for (Band b : bands) {
      bandKinds.putIfAbsent(b.kind(), b.color());
    }
    bandKinds.forEach((kind, color) -> entries.add(new LegendEntry(EntryKind.BAND, kind, color, false)));
    return entries;
  }

  private List<List<LegendEntry>> layoutLegend(List<LegendEntry> entries) {
    List<List<LegendEntry>> rows = new ArrayList<>();
    List<LegendEntry> row = new ArrayList<>();
    double used = 0;
    double available = widthPx - MARGIN_LEFT_PX - MARGIN_RIGHT_PX;
    for (LegendEntry entry : entries) {
      if (!row.isEmpty() && used + entry.widthPx() > available) {
        rows.add(row);
        row = new ArrayList<>();
        used = 0;
      }
      row.add(entry);
      used += entry.widthPx();
    }
    if (!row.isEmpty()) {
      rows.add(row);
    }
    return rows;
  }

  /** The axes' ranges over every finite point and guide, or null when there is no point. */
  private Ranges ranges() {
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (Point p : s.points()) {
        if (Double.isFinite(p.x()) && Double.isFinite(p.y())) {
          minX = Math.min(minX, p.x());
          maxX = Math.max(maxX, p.x());
          minY = Math.min(minY, p.y());
          maxY = Math.max(maxY, p.y());
        }
      }
    }
    if (minX == Double.POSITIVE_INFINITY) {
      return null;
    }
    for (Guide g : guides) {
      minY = Math.min(minY, g.y());
      maxY = Math.max(maxY, g.y());
    }
    if (includeZero) {
      minY = Math.min(minY, 0);
      maxY = Math.max(maxY, 0);
    }
    int plotWidthPx = widthPx - MARGIN_LEFT_PX - MARGIN_RIGHT_PX;
    int xTicks = Math.max(2, Math.min(DEFAULT_MAX_TICKS * 2, plotWidthPx / 70));
    int yTicks = Math.max(2, Math.min(DEFAULT_MAX_TICKS, (heightPx - 100) / 28));
    // Headroom so a series at its maximum does not run along the frame.
    double headroom = (maxY - minY) * 0.04;
    maxY += headroom;
    if (minY < 0) {
      minY -= headroom;
    }
    if (!Double.isNaN(fixedMinX)) {
      minX = fixedMinX;
      maxX = fixedMaxX;
    }
    return new Ranges(NiceScale.tight(minX, maxX, xTicks), NiceScale.of(minY, maxY, yTicks));
  }

  private static String path(Series s, Scale xs, Scale ys) {
    StringBuilder d = new StringBuilder(s.points().size() * 16);
    boolean penDown = false;
    double previousY = 0;
    for (Point p : s.points()) {
      if (!Double.isFinite(p.x()) || !Double.isFinite(p.y())) {
        penDown = false;
        continue;
      }
      double x = xs.clamped(p.x());
      double y = ys.at(p.y());
      if (!penDown) {
        d.append(d.length() == 0 ? "M" : " M").append(fmt(x)).append(' ').append(fmt(y));
        penDown = true;
      } else if (s.style() == Style.STEP) {
        d.append(" L").append(fmt(x)).append(' ').append(fmt(previousY));
        d.append(" L").append(fmt(x)).append(' ').append(fmt(y));
      } else {
        d.append(" L").append(fmt(x)).append(' ').append(fmt(y));
      }
      previousY = y;
    }
    return d.toString();
  }

  /** {@code value} with one decimal, without {@link String#format}'s cost on every coordinate. */
  static String fmt(double value) {
    long tenths = Math.round(value * 10);
    String sign = tenths < 0 ? "-" : "";
    long abs = Math.abs(tenths);
    return sign + (abs / 10) + "." + (abs % 10);
  }

  private static void checkColor(String color) {
    Objects.requireNonNull(color, "color");
    if (!COLOR.matcher(color).matches()) {
      throw new IllegalArgumentException(
          "color: \"" + color + "\" (expected: #rgb, #rrggbb or a lowercase CSS colour name)");
    }
  }

  private record Plot(int left, int top, int right, int bottom) {}

  private record Ranges(NiceScale x, NiceScale y) {}

  /** Maps data values onto pixels along one axis. */
  private record Scale(NiceScale scale, double fromPx, double toPx) {
    double at(double value) {
      return fromPx + (value - scale.min()) / (scale.max() - scale.min()) * (toPx - fromPx);
    }

    double clamped(double value) {
      double px = at(value);
      return Math.max(Math.min(fromPx, toPx), Math.min(Math.max(fromPx, toPx), px));
    }
  }

  /** Builds a {@link SvgLineChart}. Not thread-safe. */
  public static final class Builder {
    private final String title;
    private String xLabel = "";
    private String yLabel = "";
    private int widthPx = DEFAULT_WIDTH_PX;
    private int heightPx = DEFAULT_HEIGHT_PX;
    private boolean includeZero = true;
    private double fixedMinX = Double.NaN;
    private double fixedMaxX = Double.NaN;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private final List<Band> bands = new ArrayList<>();
    private final List<Guide> guides = new ArrayList<>();

    private Builder(String title) {
      this.title = Objects.requireNonNull(title, "title");
    }

    /** The x axis's label, with its unit: "time (s)". */
    public Builder xLabel(String value) {
      xLabel = Objects.requireNonNull(value, "xLabel");
      return this;
    }

    /** The y axis's label, with its unit: "Mbit/s". */
    public Builder yLabel(String value) {
      yLabel = Objects.requireNonNull(value, "yLabel");
      return this;
    }

    /** The chart's size, pixels: at least 200 x 150. */
    public Builder sizePx(int width, int height) {
      if (width < 200 || height < 150) {
        throw new IllegalArgumentException(
            "size: " + width + "x" + height + " px (expected: >= 200x150)");
      }
      widthPx = width;
      heightPx = height;
      return this;
    }

    /** Whether the y axis always shows 0 (default true: rates and levels read honestly from 0). */
    public Builder includeZero(boolean value) {
      includeZero = value;
      return this;
    }

    /**
     * The x axis's range, instead of the data's: charts stacked over one time span line up. Points
     * outside it are drawn at its edge.
     */
    public Builder xRange(double min, double max) {
      if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
        throw new IllegalArgumentException(
            "xRange: [" + min + ", " + max + "] (expected: finite, min <= max)");
      }
      fixedMinX = min;
      fixedMaxX = max;
      return this;
    }

    public Builder series(Series value) {
      series.add(Objects.requireNonNull(value, "series"));
      return this;
    }

    public Builder marker(Marker value) {
      markers.add(Objects.requireNonNull(value, "marker"));
      return this;
    }

    public Builder band(Band value) {
      bands.add(Objects.requireNonNull(value, "band"));
      return this;
    }

    public Builder guide(Guide value) {
      guides.add(Objects.requireNonNull(value, "guide"));
      return this;
    }

    public SvgLineChart build() {
      return new SvgLineChart(this);
    }
  }
}
