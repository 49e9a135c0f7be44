package io.abrfetch.player;

import static io.abrfetch.player.XmlFixture.SVG_NS;
import static io.abrfetch.player.XmlFixture.XHTML_NS;
import static io.abrfetch.player.XmlFixture.byClass;
import static io.abrfetch.player.XmlFixture.parse;
import static io.abrfetch.player.XmlFixture.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class HtmlReportTest {
  private static PlaybackTimeline session;

  @BeforeAll
  static void playSession() {
    session = PlaybackTimeline.of(
        SimulatedSession.play(PlaybackClockOptions.defaults(), 5_000_000, /* segments= */ 25));
    // The fixture must exercise every marker kind, or the assertions below prove little.
    assertTrue(session.summary().stallCount() >= 1, session.summary().toString());
    assertTrue(session.markers().stream().anyMatch(
        m -> m instanceof TimelineMarker.Switch s && s.isUp()));
    assertTrue(session.markers().stream().anyMatch(
        m -> m instanceof TimelineMarker.Switch s && !s.isUp()));
  }

  private static Map<String, String> parameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("policy", "throughput");
    parameters.put("trace", "scripted drop");
    return parameters;
  }

  @Test
  void playbackReport_isWellFormedXhtml_andEachSvgPartParsesAlone() throws Exception {
    String html = HtmlReport.forPlayback("abrfetch demo", parameters(), session).toHtml();

    Document page = parse(html);
    assertEquals(XHTML_NS, page.getDocumentElement().getNamespaceURI());
    assertEquals("html", page.getDocumentElement().getLocalName());
    List<String> svgParts = XmlFixture.svgParts(html);
    assertEquals(4, svgParts.size(), "bitrate, buffer, network, QoE per chunk");
    for (String svg : svgParts) {
      Element root = parse(svg).getDocumentElement();
      assertEquals(SVG_NS, root.getNamespaceURI());
      assertFalse(byClass(root, SVG_NS, "path", "series").isEmpty(), svg.substring(0, 200));
    }
  }

  @Test
  void playbackReport_drawsEverySeries_andEveryMarkerKind() throws Exception {
    Element page = parse(HtmlReport.forPlayback("t", parameters(), session).toHtml()).getDocumentElement();

    List<String> svgTexts = texts(page, SVG_NS, "text");
    for (String name : List.of("selected bitrate (fetched)", "playing bitrate", "buffer",
        "measured throughput", "bandwidth estimate", "selected bitrate", "QoE_lin", "switch up",
        "switch down", "stall", "startup and rebuffer threshold")) {
      assertTrue(svgTexts.contains(name), name + " missing from " + svgTexts);
    }
    List<String> titles = texts(page, SVG_NS, "title");
    for (String chart : List.of("Bitrate", "Buffer", "Bandwidth estimate and throughput",
        "QoE_lin per chunk")) {
      assertTrue(titles.contains(chart), chart + " missing from " + titles);
    }
  }

  @Test
  void bitrateChart_hasOneMarkerPerSwitch_andOneBandPerStall() throws Exception {
    Element page = parse(HtmlReport.forPlayback("t", parameters(), session).toHtml()).getDocumentElement();
    Element bitrate = (Element) page.getElementsByTagNameNS(SVG_NS, "svg").item(0);

    assertEquals(session.summary().switches(), byClass(bitrate, SVG_NS, "line", "marker").size());
    assertEquals(session.summary().stallCount(), byClass(bitrate, SVG_NS, "rect", "band").size());
    assertEquals(2, byClass(bitrate, SVG_NS, "path", "series").size());
  }

  @Test
  void resultsTable_showsTheSessionsQoeNumbers() throws Exception {
    QoeSummary q = session.summary();
    Element page = parse(HtmlReport.forPlayback("t", parameters(), session).toHtml()).getDocumentElement();

    Map<String, String> results = tableRows(page, "results");
    assertEquals(q.startupMs() + " ms", results.get("startup"));
    assertEquals(String.valueOf(q.stallCount()), results.get("stalls"));
    assertEquals(q.stallMs() + " ms", results.get("stall time"));
    assertEquals(String.format(Locale.ROOT, "%.0f kbit/s", q.meanBitrateKbps()), results.get("mean bitrate"));
    assertEquals(String.valueOf(q.switches()), results.get("switches"));
    assertEquals(String.valueOf(q.chunks()), results.get("chunks"));
    assertEquals(String.format(Locale.ROOT, "%.3f", q.qoeLinSum()), results.get("QoE_lin (sum)"));
    Map<String, String> run = tableRows(page, "parameters");
    assertEquals(List.of("policy", "trace", "startup threshold", "rebuffer threshold", "playback rate"),
        List.copyOf(run.keySet()), "in the caller's order, then the clock's");
    assertEquals("2.000 s", run.get("startup threshold"));
  }

  @Test
  void hostileTitleAndParameters_areEscaped() throws Exception {
    String title = "</title><script>alert(1)</script> & \"x\" <b>";
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("<img src=x onerror=alert(1)>", "a & b < c > d \"e\" 'f'");

    String html = HtmlReport.forPlayback(title, parameters, session).toHtml();

    assertFalse(html.contains("<script"), "no script element");
    assertFalse(html.contains("<img"), "no img element");
    assertFalse(html.contains("<b>"), "no element from the title");
    Element page = parse(html).getDocumentElement();
    assertEquals(title, texts(page, XHTML_NS, "title").get(0));
    assertEquals(title, texts(page, XHTML_NS, "h1").get(0));
    assertEquals("a & b < c > d \"e\" 'f'", tableRows(page, "parameters").get("<img src=x onerror=alert(1)>"));
  }

  @Test
  void page_isSelfContained_withNoScriptAndNoExternalReference() throws Exception {
    String html = HtmlReport.forPlayback("t", parameters(), session).toHtml();
    Document page = parse(html);

    assertEquals(0, page.getElementsByTagNameNS(XHTML_NS, "script").getLength());
    assertEquals(0, page.getElementsByTagNameNS(XHTML_NS, "link").getLength());
    assertEquals(0, page.getElementsByTagNameNS(XHTML_NS, "img").getLength());
    assertFalse(html.contains("url("), "no CSS fetch");
    assertFalse(html.contains("@import"), "no CSS import");
    NodeList all = page.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      NamedNodeMap attributes = all.item(i).getAttributes();
      for (int a = 0; a < attributes.getLength(); a++) {
        Node attribute = attributes.item(a);
        String name = attribute.getNodeName();
        assertFalse(name.equals("src") || name.equals("href") || name.endsWith(":href")
            || name.startsWith("on"), "attribute " + name);
        if (!name.startsWith("xmlns")) {
          assertFalse(attribute.getNodeValue().contains("://"), name + "=" + attribute.getNodeValue());
        }
      }
    }
  }

  @Test
  void emptySession_stillRendersEveryTimeChart() throws Exception {
    PlaybackClock clock = PlaybackClock.start(PlaybackClockOptions.defaults(), 0);
    clock.stop(1_000);

    String html = HtmlReport.forPlayback("empty", Map.of(), PlaybackTimeline.of(clock)).toHtml();

    Element page = parse(html).getDocumentElement();
    assertEquals(3, page.getElementsByTagNameNS(SVG_NS, "svg").getLength(), "no chunk, no QoE chart");
    assertEquals("not started", tableRows(page, "results").get("startup"));
    assertTrue(texts(page, SVG_NS, "text").contains("no data"), "bitrates are unknown before a chunk");
  }

  @Test
  void genericReport_carriesTheCallersTablesChartsAndNotes() throws Exception {
    SvgLineChart viewers = SvgLineChart.builder("Active viewers")
        .series(SvgLineChart.Series.line("viewers", "#1f77b4",
            List.of(new SvgLineChart.Point(0, 0), new SvgLineChart.Point(10, 500))))
        .build();
    HtmlReport report = HtmlReport.builder("load test")
        .result("viewers", "500")
        .chart(viewers)
        .note("a note")
        .build();

    Element page = parse(report.toHtml()).getDocumentElement();

    assertTrue(tableRows(page, "parameters").isEmpty(), "no empty table");
    assertEquals("500", tableRows(page, "results").get("viewers"));
    assertEquals(1, page.getElementsByTagNameNS(SVG_NS, "svg").getLength());
    assertEquals(List.of("a note"), texts(page, XHTML_NS, "li"));
  }

  @Test
  void writeTo_replacesTheFileWhole_andLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("abrfetch-report.html");
    Files.writeString(file, "an older, longer report that must not survive in part ".repeat(10_000));
    HtmlReport report = HtmlReport.forPlayback("t", parameters(), session);

    report.writeTo(file);

    assertEquals(report.toHtml(), Files.readString(file, StandardCharsets.UTF_8));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  /** The th -> td rows of the table with class {@code cssClass}, in order. */
  private static Map<String, String> tableRows(Element page, String cssClass) {
    Map<String, String> rows = new LinkedHashMap<>();
    for (Element table : byClass(page, XHTML_NS, "table", cssClass)) {
      NodeList trs = table.getElementsByTagNameNS(XHTML_NS, "tr");
      for (int i = 0; i < trs.getLength(); i++) {
        Element tr = (Element) trs.item(i);
        rows.put(texts(tr, XHTML_NS, "th").get(0), texts(tr, XHTML_NS, "td").get(0));
      }
    }
    return rows;
  }
}
