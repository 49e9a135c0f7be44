package io.abrfetch.player;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Test helper: renders an HTML file in headless Chromium ({@code /usr/bin/chromium}) and checks
 * the screenshot shows charts. Tests call {@link #assumeAvailable()} first, so they are skipped
 * with a clear message where Chromium is not installed.
 */
final class ChromiumScreenshot {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final int WIDTH_PX = 1200;
  static final int HEIGHT_PX = 1600;

  private ChromiumScreenshot() {}

  static void assumeAvailable() {
    assumeTrue(Files.isExecutable(CHROMIUM),
        "Chromium is not installed at " + CHROMIUM + ": skipping the report screenshot check"
            + " (apt-get install -y chromium to run it)");
  }

  /**
   * Screenshots {@code html} at {@link #WIDTH_PX} x {@link #HEIGHT_PX} (scratch files in
   * {@code dir}), leaves a copy at {@code target/<keepAs>} for a human, and returns the image.
   */
  static BufferedImage take(Path html, Path dir, String keepAs) throws Exception {
    Path png = dir.resolve("screenshot.png");
    Path log = dir.resolve("chromium.log");
    Process chromium = new ProcessBuilder(
            CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile"),
            "--screenshot=" + png, "--window-size=" + WIDTH_PX + "," + HEIGHT_PX,
            html.toUri().toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    if (!chromium.waitFor(90, TimeUnit.SECONDS)) {
      chromium.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("chromium did not finish in 90 s; its output:\n" + Files.readString(log));
    }
    assertTrue(Files.isRegularFile(png),
        "no screenshot (exit " + chromium.exitValue() + "); chromium said:\n" + Files.readString(log));
    Files.createDirectories(Path.of("target"));
    Files.copy(png, Path.of("target", keepAs), StandardCopyOption.REPLACE_EXISTING);
    assertTrue(Files.size(png) > 20_000, "a near-empty screenshot: " + Files.size(png) + " bytes");
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(WIDTH_PX, image.getWidth());
    assertEquals(HEIGHT_PX, image.getHeight());
    return image;
  }

  /**
   * Asserts the image is not blank and each time chart's series colour is drawn: if a chart
   * failed to render (or the page fell back to plain text), its colour would be missing.
   */
  static void assertEveryTimeSeriesDrawn(BufferedImage image) {
    Map<Integer, Integer> colours = new HashMap<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        colours.merge(image.getRGB(x, y) & 0xFFFFFF, 1, Integer::sum);
      }
    }
    assertTrue(colours.size() > 100, "only " + colours.size() + " distinct colours: a blank page?");
    for (String colour : List.of(HtmlReport.SELECTED_COLOR, HtmlReport.PLAYING_COLOR,
        HtmlReport.BUFFER_COLOR, HtmlReport.ESTIMATE_COLOR, HtmlReport.THROUGHPUT_COLOR)) {
      int pixels = colours.getOrDefault(Integer.parseInt(colour.substring(1), 16), 0);
      assertTrue(pixels > 100, colour + " drawn in only " + pixels + " pixels");
    }
  }
}
