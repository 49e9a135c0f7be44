package io.abrfetch.player;

import static io.abrfetch.player.XmlFixture.SVG_NS;
import static io.abrfetch.player.XmlFixture.byClass;
import static io.abrfetch.player.XmlFixture.parse;
import static io.abrfetch.player.XmlFixture.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class SvgLineChartTest {
  private static List<SvgLineChart.Point> points(double... xy) {
    List<SvgLineChart.Point> points = new ArrayList<>();
    for (int i = 0; i < xy.length; i += 2) {
      points.add(new SvgLineChart.Point(xy[i], xy[i + 1]));
    }
    return points;
  }

  @Test
  void svg_isWellFormed_withOneElementPerSeriesMarkerBandAndGuide() throws Exception {
    SvgLineChart chart = SvgLineChart.builder("Bitrate")
        .xLabel("time (s)")
        .yLabel("Mbit/s")
        .series(SvgLineChart.Series.step("selected", "#1f77b4", points(0, 1, 4, 2, 8, 1)))
        .series(SvgLineChart.Series.line("estimate", "#ff7f0e", points(0, 1.5, 8, 2.5)).asDashed())
        .marker(new SvgLineChart.Marker(4, "switch up", "up at 4 s", "#0f9d58"))
        .band(new SvgLineChart.Band(5, 6, "stall", "stall 1 s", "#d62728"))
        .guide(new SvgLineChart.Guide(2, "threshold", "#888888"))
        .build();

    Element svg = parse(chart.toSvg()).getDocumentElement();

    assertEquals(SVG_NS, svg.getNamespaceURI());
    assertEquals("svg", svg.getLocalName());
    assertEquals(String.valueOf(SvgLineChart.DEFAULT_WIDTH_PX), svg.getAttribute("width"));
    assertEquals(2, byClass(svg, SVG_NS, "path", "series").size());
    assertEquals("6 4", byClass(svg, SVG_NS, "path", "series").get(1).getAttribute("stroke-dasharray"));
    assertEquals(1, byClass(svg, SVG_NS, "line", "marker").size());
    assertEquals(1, byClass(svg, SVG_NS, "rect", "band").size());
    assertEquals(1, byClass(svg, SVG_NS, "line", "guide").size());
    List<String> texts = texts(svg, SVG_NS, "text");
    for (String expected : List.of("Bitrate", "selected", "estimate", "switch up", "stall", "time (s)",
        "Mbit/s", "threshold")) {
      assertTrue(texts.contains(expected), expected + " in " + texts);
    }
  }

  @Test
  void stepSeries_holdsEachValueUntilTheNextPoint() throws Exception {
    SvgLineChart chart = SvgLineChart.builder("steps")
        .series(SvgLineChart.Series.step("s", "#000000", points(0, 0, 1, 1, 2, 0)))
        .build();

    String d = byClass(parse(chart.toSvg()).getDocumentElement(), SVG_NS, "path", "series")
        .get(0).getAttribute("d");
    List<double[]> xy = coordinates(d);

    // M p0, then per point a horizontal move at the old level and a vertical jump.
    assertEquals(5, xy.size(), d);
    assertEquals(xy.get(0)[1], xy.get(1)[1], "held at 0 until x=1: " + d);
    assertEquals(xy.get(1)[0], xy.get(2)[0], "vertical jump at x=1: " + d);
    assertEquals(xy.get(2)[1], xy.get(3)[1], "held at 1 until x=2: " + d);
    assertTrue(xy.get(2)[1] < xy.get(0)[1], "higher values are drawn higher: " + d);
  }

  @Test
  void lineSeries_joinsPointsDirectly_andScalesOntoThePlot() throws Exception {
    SvgLineChart chart = SvgLineChart.builder("line")
        .sizePx(400, 300)
        .series(SvgLineChart.Series.line("s", "#000000", points(0, 0, 10, 10)))
        .build();

    List<double[]> xy = coordinates(byClass(parse(chart.toSvg()).getDocumentElement(), SVG_NS, "path",
        "series").get(0).getAttribute("d"));

    assertEquals(2, xy.size());
    assertTrue(xy.get(0)[0] < xy.get(1)[0]);
    assertTrue(xy.get(0)[1] > xy.get(1)[1]);
    assertTrue(xy.get(1)[0] <= 400 && xy.get(0)[1] <= 300, "inside the canvas");
  }

  @Test
  void nonFinitePoint_breaksTheLineIntoTwo() throws Exception {
    SvgLineChart chart = SvgLineChart.builder("gaps")
        .series(SvgLineChart.Series.line("s", "#000000",
            points(0, 1, 1, Double.NaN, 2, 1, 3, Double.POSITIVE_INFINITY, 4, 2, 5, 3)))
        .build();

    String d = byClass(parse(chart.toSvg()).getDocumentElement(), SVG_NS, "path", "series")
        .get(0).getAttribute("d");

    assertEquals(3, d.chars().filter(c -> c == 'M').count(), d);
  }

  @Test
  void hostileText_isEscaped_andParsesBackToTheOriginal() throws Exception {
    String hostile = "</text><script>alert(1)</script> & \"q\" 'a' \u0000\u0007 \uD83C\uDFA5 \uD800.";
    SvgLineChart chart = SvgLineChart.builder(hostile)
        .xLabel(hostile)
        .series(SvgLineChart.Series.line(hostile, "#000000", points(0, 1, 1, 2)))
        .marker(new SvgLineChart.Marker(0.5, hostile, hostile, "red"))
        .build();
    String svg = chart.toSvg();

    assertFalse(svg.contains("<script"), svg);
    Element root = parse(svg).getDocumentElement();
    // Characters XML cannot carry (controls, an unpaired surrogate) become U+FFFD; a pair stays.
    String expected = hostile.replace('\u0000', '\uFFFD').replace('\u0007', '\uFFFD')
        .replace('\uD800', '\uFFFD');
    assertEquals(expected, texts(root, SVG_NS, "title").get(0));
    assertEquals(expected, root.getAttribute("aria-label"));
  }

  @Test
  void rejectsColoursThatCouldInjectMarkup() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SvgLineChart.Series.line("s", "red\" onload=\"alert(1)", List.of()));
    assertTrue(e.getMessage().startsWith("color: "), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new SvgLineChart.Marker(0, "k", "t", "url(http://x)"));
    assertThrows(IllegalArgumentException.class,
        () -> new SvgLineChart.Band(2, 1, "k", "t", "#fff"));
    assertThrows(IllegalArgumentException.class,
        () -> SvgLineChart.builder("t").sizePx(100, 100));
    assertThrows(IllegalArgumentException.class,
        () -> SvgLineChart.builder("t").xRange(1, Double.NaN));
  }

  @Test
  void noFinitePoint_drawsNoData() throws Exception {
    SvgLineChart chart = SvgLineChart.builder("empty")
        .series(SvgLineChart.Series.line("s", "#000000", points(0, Double.NaN)))
        .build();

    Element svg = parse(chart.toSvg()).getDocumentElement();

    assertTrue(texts(svg, SVG_NS, "text").contains("no data"));
    assertEquals(0, byClass(svg, SVG_NS, "path", "series").size());
  }

  @Test
  void legend_hasOneEntryPerMarkerKind_whateverTheMarkerCount() throws Exception {
    SvgLineChart.Builder builder = SvgLineChart.builder("markers")
        .series(SvgLineChart.Series.line("s", "#000000", points(0, 1, 100, 1)));
    for (int i = 0; i < 50; i++) {
      builder.marker(new SvgLineChart.Marker(i * 2, i % 2 == 0 ? "up" : "down", "m" + i, "#00aa00"));
    }

    Element svg = parse(builder.build().toSvg()).getDocumentElement();

    assertEquals(50, byClass(svg, SVG_NS, "line", "marker").size());
    List<String> texts = texts(svg, SVG_NS, "text");
    assertEquals(1, texts.stream().filter("up"::equals).count());
    assertEquals(1, texts.stream().filter("down"::equals).count());
  }

  @Test
  void axes_carryRoundTickLabels_andAFixedXRangeWins() throws Exception {
    SvgLineChart chart = SvgLineChart.builder("ticks")
        .xRange(0, 100)
        .series(SvgLineChart.Series.line("s", "#000000", points(10, 0.2, 20, 4.3)))
        .build();

    List<String> texts = texts(parse(chart.toSvg()).getDocumentElement(), SVG_NS, "text");

    assertTrue(texts.containsAll(List.of("0", "20", "40", "60", "80", "100")), texts.toString());
    assertTrue(texts.containsAll(List.of("1", "2", "3", "4", "5")), texts.toString());
  }

  @Test
  void coordinates_haveOneDecimal_roundedHalfUp_withoutNegativeZero() {
    assertEquals("12.3", SvgLineChart.fmt(12.345));
    assertEquals("0.0", SvgLineChart.fmt(-0.04));
    assertEquals("-1.2", SvgLineChart.fmt(-1.25));
    assertEquals("1.3", SvgLineChart.fmt(1.25));
    assertEquals("1080.0", SvgLineChart.fmt(1080));
  }

  /** The x,y pairs of a path's M and L commands. */
  private static List<double[]> coordinates(String d) {
    List<double[]> xy = new ArrayList<>();
    String[] tokens = d.replace("M", " ").replace("L", " ").trim().split("\\s+");
    for (int i = 0; i < tokens.length; i += 2) {
      xy.add(new double[] {Double.parseDouble(tokens[i]), Double.parseDouble(tokens[i + 1])});
    }
    assertEquals(0, tokens.length % 2, Arrays.toString(tokens));
    return xy;
  }
}
