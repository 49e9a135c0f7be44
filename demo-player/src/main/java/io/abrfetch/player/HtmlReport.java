package io.abrfetch.player;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A self-contained HTML report: a title, a table of run parameters, a table of results, charts
 * ({@link SvgLineChart}) and notes, in one file that opens offline.
 *
 * <p>No script, no stylesheet or font from elsewhere, no network: the charts are inline SVG. Every
 * text is escaped, and the page is well-formed XML (XHTML syntax that browsers read as HTML), so
 * tools can parse it. {@link #forPlayback} lays out a player session (the {@code demo} and {@code
 * play} report); the load test builds its own from the same parts.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class HtmlReport {
  static final String SELECTED_COLOR = "#1f77b4";
  static final String PLAYING_COLOR = "#2ca02c";
  static final String ESTIMATE_COLOR = "#ff7f0e";
  static final String THROUGHPUT_COLOR = "#7f7f7f";
  static final String BUFFER_COLOR = "#9467bd";
  static final String STALL_COLOR = "#d62728";
  static final String SWITCH_UP_COLOR = "#0f9d58";
  static final String SWITCH_DOWN_COLOR = "#e8710a";
  static final String QOE_COLOR = "#8c564b";

  private static final String CSS = """
      body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #222;
             margin: 24px auto; max-width: 1100px; padding: 0 12px; }
      h1 { font-size: 22px; margin: 0 0 4px 0; }
      p.subtitle { color: #666; margin: 0 0 16px 0; }
      div.tables { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 24px;
                   margin-bottom: 12px; }
      table { border-collapse: collapse; font-size: 13px; }
      caption { text-align: left; font-weight: bold; padding-bottom: 4px; }
      th, td { border: 1px solid #ddd; padding: 3px 10px; text-align: left; vertical-align: top; }
      th { background: #f4f4f4; font-weight: normal; color: #444; }
      td.value { font-variant-numeric: tabular-nums; }
      figure { margin: 14px 0; }
      svg.chart { display: block; max-width: 100%; height: auto; border: 1px solid #eee; }
      ul.notes { color: #555; font-size: 13px; }
      """;

  private final String title;
  private final String subtitle;
  private final List<Map.Entry<String, String>> parameters;
  private final List<Map.Entry<String, String>> results;
  private final List<SvgLineChart> charts;
  private final List<String> notes;

  private HtmlReport(Builder b) {
    this.title = b.title;
    this.subtitle = b.subtitle;
    this.parameters = rows(b.parameters);
    this.results = rows(b.results);
    this.charts = List.copyOf(b.charts);
    this.notes = List.copyOf(b.notes);
  }

  private static List<Map.Entry<String, String>> rows(Map<String, String> map) {
    List<Map.Entry<String, String>> rows = new ArrayList<>(map.size());
    map.forEach((name, value) -> rows.add(Map.entry(name, value)));
    return List.copyOf(rows);
  }

  /** A builder for a report titled {@code title}. */
  public static Builder builder(String title) {
    return new Builder(title);
  }

  /**
   * The report of one player session: QoE results, charts of bitrate, buffer, bandwidth estimate
   * and throughput over time with switch and stall markers, and each chunk's QoE_lin.
   *
   * @param parameters the run's parameters in display order (URL, policy, trace, ...)
   */
  public static HtmlReport forPlayback(
      String title, Map<String, String> parameters, PlaybackTimeline timeline) {
    Objects.requireNonNull(timeline, "timeline");
    Builder report = builder(title).subtitle("abrfetch player session report");
    parameters.forEach(report::parameter);
    PlaybackClockOptions options = timeline.options();
    report.parameter("startup threshold", seconds(options.startupThresholdUs()));
    report.parameter("rebuffer threshold", seconds(options.rebufferThresholdUs()));
    report.parameter("playback rate", String.format(Locale.ROOT, "%.2fx", options.playbackRate()));

    QoeSummary q = timeline.summary();
    report.result("state", q.state().name().toLowerCase(Locale.ROOT));
    report.result("session", seconds(q.sessionUs()));
    report.result("startup", q.hasStarted() ? q.startupMs() + " ms" : "not started");
    report.result("stalls", Integer.toString(q.stallCount()));
    report.result("stall time", q.stallMs() + " ms");
    report.result("rebuffer ratio", String.format(Locale.ROOT, "%.2f %%", q.rebufferRatio() * 100));
    report.result("played", seconds(q.playedUs()));
    report.result("mean bitrate", String.format(Locale.ROOT, "%.0f kbit/s", q.meanBitrateKbps()));
    report.result("switches", Integer.toString(q.switches()));
    report.result("chunks", Integer.toString(q.chunks()));
    report.result("QoE_lin (sum)", String.format(Locale.ROOT, "%.3f", q.qoeLinSum()));
    report.result("QoE_lin per chunk", String.format(Locale.ROOT, "%.3f", q.qoeLinPerChunk()));

    PlaybackCharts charts = new PlaybackCharts(timeline);
    report.chart(charts.bitrate()).chart(charts.buffer()).chart(charts.network());
    if (!timeline.chunks().isEmpty()) {
      report.chart(charts.qoePerChunk());
    }

    report.note("QoE_lin per chunk: r = R - 4.3 x rebuffer - |R - R_prev|, with R in Mbit/s and"
        + " rebuffering in seconds, as the trace benchmark scores it; the first chunk has no"
        + " smoothness penalty, and the startup wait is reported as startup, not rebuffering.");
    report.note(String.format(Locale.ROOT,
        "Timeline: %d of %d samples drawn (evenly decimated to stay within %d); %d markers%s.",
        timeline.samples().size(), timeline.samplesOffered(), options.maxTimelineSamples(),
        timeline.markers().size(),
        q.droppedMarkers() > 0 ? " (" + q.droppedMarkers() + " more over the cap not drawn)" : ""));
    if (timeline.chunks().size() < q.chunks()) {
      report.note("QoE chart: the first " + timeline.chunks().size() + " of " + q.chunks()
          + " chunks (records are capped; totals count every chunk).");
    }
    report.note("Selected bitrate is what ABR fetched last; playing bitrate is what was on screen,"
        + " one buffer later.");
    return report.build();
  }

  /** The page. */
  public String toHtml() {
    StringBuilder html = new StringBuilder(32_768);
    html.append("<!DOCTYPE html>\n");
    html.append("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n");
    html.append("<meta charset=\"utf-8\"/>\n");
    html.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    html.append("<title>").append(XmlText.escape(title)).append("</title>\n");
    html.append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    html.append("<h1>").append(XmlText.escape(title)).append("</h1>\n");
    if (!subtitle.isEmpty()) {
      html.append("<p class=\"subtitle\">").append(XmlText.escape(subtitle)).append("</p>\n");
    }
    html.append("<div class=\"tables\">\n");
    appendTable(html, "parameters", "Run", parameters);
    appendTable(html, "results", "Results", results);
    html.append("</div>\n");
    for (SvgLineChart chart : charts) {
      html.append("<figure>\n").append(chart.toSvg()).append("</figure>\n");
    }
    if (!notes.isEmpty()) {
      html.append("<ul class=\"notes\">\n");
      for (String note : notes) {
        html.append("<li>").append(XmlText.escape(note)).append("</li>\n");
      }
      html.append("</ul>\n");
    }
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  /**
   * Writes the page to {@code file} in UTF-8, replacing it whole: a temporary file in the same
   * directory is moved over it, so a reader never sees half a report.
   */
  public void writeTo(Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent();
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
    try {
      Files.writeString(temp, toHtml(), StandardCharsets.UTF_8);
      try {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void appendTable(
      StringBuilder html, String cssClass, String caption, List<Map.Entry<String, String>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    html.append("<table class=\"").append(cssClass).append("\">\n<caption>").append(caption)
        .append("</caption>\n<tbody>\n");
    for (Map.Entry<String, String> row : rows) {
      html.append("<tr><th>").append(XmlText.escape(row.getKey())).append("</th><td class=\"value\">")
          .append(XmlText.escape(row.getValue())).append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n");
  }

  static String seconds(long micros) {
    return String.format(Locale.ROOT, "%.3f s", micros / 1e6);
  }

  /** Builds an {@link HtmlReport}. Not thread-safe. */
  public static final class Builder {
    private final String title;
    private String subtitle = "";
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<String, String> results = new LinkedHashMap<>();
    private final List<SvgLineChart> charts = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private Builder(String title) {
      this.title = Objects.requireNonNull(title, "title");
    }

    /** A line under the title. */
    public Builder subtitle(String value) {
      subtitle = Objects.requireNonNull(value, "subtitle");
      return this;
    }

    /** A row of the run-parameters table; a name given twice keeps its place and the last value. */
    public Builder parameter(String name, String value) {
      parameters.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** A row of the results table; a name given twice keeps its place and the last value. */
    public Builder result(String name, String value) {
      results.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder chart(SvgLineChart value) {
      charts.add(Objects.requireNonNull(value, "chart"));
      return this;
    }

    /** A sentence under the charts. */
    public Builder note(String value) {
      notes.add(Objects.requireNonNull(value, "note"));
      return this;
    }

    public HtmlReport build() {
      return new HtmlReport(this);
    }
  }
}
