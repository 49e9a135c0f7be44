package io.abrfetch.player;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the playback report in headless Chromium and checks the screenshot shows the charts.
 * Skipped when Chromium is not installed at {@code /usr/bin/chromium}. A copy of the screenshot is
 * left in {@code target/abrfetch-report-screenshot.png} for a human to look at.
 */
class HtmlReportScreenshotTest {

  @Test
  void report_rendersInHeadlessChromium_withEveryTimeSeriesColourOnScreen(@TempDir Path dir)
      throws Exception {
    ChromiumScreenshot.assumeAvailable();
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("trace", "3 Mbit/s, 0.4 Mbit/s at 30 s, 6 Mbit/s from 50 s");
    PlaybackTimeline session = PlaybackTimeline.of(
        SimulatedSession.play(PlaybackClockOptions.defaults(), 0, /* segments= */ 25));
    Path html = dir.resolve("report.html");
    HtmlReport.forPlayback("abrfetch screenshot test", parameters, session).writeTo(html);

    BufferedImage image = ChromiumScreenshot.take(html, dir, "abrfetch-report-screenshot.png");
    ChromiumScreenshot.assertEveryTimeSeriesDrawn(image);
  }
}
