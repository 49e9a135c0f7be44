package io.abrfetch.player;

import io.abrfetch.abr.AbrController;
import io.abrfetch.fetcher.Downloader;
import io.abrfetch.fetcher.DownloaderOptions;
import io.abrfetch.fetcher.hls.HlsException;
import io.abrfetch.fetcher.hls.VariantDownload;
import io.abrfetch.fetcher.hls.VariantDownloadOptions;
import io.abrfetch.fetcher.hls.VariantDownloadProgress;
import io.abrfetch.fetcher.hls.VariantDownloadResult;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code abrfetch download URL --variant N --output FILE}: downloads one whole VOD variant with
 * {@link VariantDownload} (N segments in flight, written in order) into a file, with a progress
 * line on stderr when it is a terminal. Exit status 0 when every segment was written,
 * {@value #EXIT_FAILED} when the download failed (the file then holds the segments before the one
 * that failed), {@value #EXIT_BAD_INPUT} on bad input (options, URL, output path, no such variant,
 * an invalid or live playlist, an unsupported encryption).
 *
 * <p>Threading: {@link #call()} runs on the caller's thread and blocks until the download ends;
 * the download runs on a Vert.x event loop of its own.
 */
@Command(
    name = "download",
    mixinStandardHelpOptions = true,
    description = {
        "Downloads one whole VOD variant of an HLS stream into a file: its init section, then its"
            + " segments in order (AES-128 decrypted, byte ranges honoured), several in flight.",
        "Exit status: 0 on success, 1 when the download failed (the file holds the segments"
            + " before the failed one), 2 on bad input."},
    sortOptions = false)
public final class DownloadCommand implements Callable<Integer> {

  static final int EXIT_FAILED = 1;
  static final int EXIT_BAD_INPUT = 2;
  static final String NETTY_JFR_PROPERTY = "io.netty.jfr.enabled";
  /** Progress lines at most this often. */
  static final long PROGRESS_INTERVAL_NANOS = 250_000_000L;

  /** When to draw the progress line. */
  enum ProgressMode { AUTO, ALWAYS, NEVER }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL",
      description = "http(s) URL of a master or media playlist (VOD).")
  String url;

  @Option(names = "--variant", paramLabel = "N", defaultValue = "0",
      description = "Variant index in the ladder, lowest bitrate first, as `inspect` lists it"
          + " (default: ${DEFAULT-VALUE}; 0 for a media playlist).")
  int variant;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true,
      description = "File to write (created or truncated).")
  Path output;

  @Option(names = "--concurrency", paramLabel = "N",
      defaultValue = "" + VariantDownloadOptions.DEFAULT_CONCURRENCY,
      description = "Segments fetched at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--json", description = "Print one JSON object with the outcome on stdout.")
  boolean json;

  @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto",
      description = "Progress line on stderr: auto (when stderr is a terminal), always, never"
          + " (default: ${DEFAULT-VALUE}).", converter = ProgressModeConverter.class)
  ProgressMode progress;

  /** Case-insensitive {@link ProgressMode} names. */
  static final class ProgressModeConverter implements CommandLine.ITypeConverter<ProgressMode> {
    @Override
    public ProgressMode convert(String value) {
      try {
        return ProgressMode.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("'" + value
            + "' (expected: auto, always or never)");
      }
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String problem = checkInput();
    if (problem != null) {
      return report(out, err, EXIT_BAD_INPUT, problem, null, null);
    }
    // Netty 4.2 registers JFR buffer events on its first allocation when JFR is present: about
    // 0.6 s of start-up measured here (bench/vod), for events nobody records in a CLI run.
    if (System.getProperty(NETTY_JFR_PROPERTY) == null) {
      System.setProperty(NETTY_JFR_PROPERTY, "false");
    }
    boolean showProgress = progress == ProgressMode.ALWAYS
        || (progress == ProgressMode.AUTO && System.console() != null);
    // One event loop: the download is one context; file writes and decryption use workers.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      Downloader downloader = Downloader.create(vertx, DownloaderOptions.builder()
          .name("download")
          .maxInFlight(concurrency)
          .maxInFlightPerOrigin(concurrency)
          .maxQueuedPerPeer(Math.max(DownloaderOptions.DEFAULT_MAX_QUEUED_PER_PEER,
              2 * concurrency + 8))
          .build(), AbrController.create());
      ProgressLine line = showProgress ? new ProgressLine(err) : null;
      VariantDownloadOptions.Builder options = VariantDownloadOptions.builder()
          .variantIndex(variant)
          .concurrency(concurrency);
      if (line != null) {
        options.progressListener(line::update);
      }
      VariantDownload download = VariantDownload.toFile(vertx, downloader, url, output,
          options.build());
      try {
        VariantDownloadResult result = download.result().toCompletionStage()
            .toCompletableFuture().get();
        if (line != null) {
          line.finish(download.progress());
        }
        return report(out, err, 0, null, result, null);
      } catch (ExecutionException e) {
        if (line != null) {
          line.finish(download.progress());
        }
        Throwable cause = e.getCause();
        int status = cause instanceof HlsException h && isBadInput(h.kind()) ? EXIT_BAD_INPUT
            : EXIT_FAILED;
        return report(out, err, status, failureMessage(cause, download.progress()), null,
            cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        download.cancel();
        return report(out, err, EXIT_FAILED, "interrupted", null, null);
      }
    } finally {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // Exiting anyway: the download has ended and the file is closed.
      }
    }
  }

  /** A one-line description of what is wrong with the arguments, or null. */
  private String checkInput() {
    if (concurrency < 1) {
      return "--concurrency " + concurrency + " (expected: >= 1)";
    }
    if (variant < 0) {
      return "--variant " + variant + " (expected: >= 0)";
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        return url + ": not an http(s) URL with a host";
      }
    } catch (URISyntaxException e) {
      return url + ": not a valid URL: " + e.getMessage();
    }
    Path absolute = output.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return "--output " + output + ": is a directory (expected: a file)";
    }
    Path parent = absolute.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return "--output " + output + ": no such directory " + parent;
    }
    return null;
  }

  private static boolean isBadInput(HlsException.Kind kind) {
    return switch (kind) {
      case NO_SUCH_VARIANT, PLAYLIST_INVALID, LIVE_UNSUPPORTED, UNSUPPORTED_ENCRYPTION -> true;
      default -> false;
    };
  }

  private String failureMessage(Throwable cause, VariantDownloadProgress at) {
    String message = cause instanceof HlsException ? cause.getMessage() : String.valueOf(cause);
    if (at.segmentsTotal() == 0) {
      return message + "; nothing was written to " + output;
    }
    return message + "; " + output + " holds the first " + at.segmentsDone() + " of "
        + at.segmentsTotal() + " segments (" + at.bytesWritten() + " bytes)";
  }

  /** Prints the outcome: the result, or the one-line problem (and its JSON); returns status. */
  private int report(PrintWriter out, PrintWriter err, int status, String problem,
      VariantDownloadResult result, Throwable cause) {
    if (result != null) {
      double seconds = result.elapsedNanos() / 1e9;
      String text = String.format(Locale.ROOT,
          "downloaded variant %d: %d segments, %d bytes in %.2f s (%.1f Mbit/s) -> %s",
          result.variantIndex(), result.segments(), result.bytesWritten(), seconds,
          result.rateBps() / 1e6, output);
      if (json) {
        out.println(new JsonObject()
            .put("url", url)
            .put("mediaPlaylistUrl", result.mediaPlaylistUrl())
            .put("variant", result.variantIndex())
            .put("output", output.toString())
            .put("segments", result.segments())
            .put("bytes", result.bytesWritten())
            .put("initSections", result.initSectionsWritten())
            .put("encryptedSegments", result.encryptedSegments())
            .put("elapsedMs", result.elapsedNanos() / 1_000_000)
            .put("rateBps", result.rateBps())
            .put("peakHeldBytes", result.peakHeldBytes())
            .encode());
      } else {
        out.println(text);
      }
      out.flush();
      return status;
    }
    String oneLine = problem.replaceAll("[\\r\\n]+", " ");
    err.println("download: " + oneLine);
    err.flush();
    if (json) {
      JsonObject error = new JsonObject().put("message", oneLine).put("exitCode", status);
      if (cause instanceof HlsException h) {
        error.put("kind", h.kind().name()).put("mediaSequence", h.mediaSequence())
            .put("url", h.url());
      }
      out.println(new JsonObject().put("url", url).put("output", output.toString())
          .put("error", error).encode());
      out.flush();
    }
    return status;
  }

  /** The progress line: redrawn in place with a carriage return, at most every 250 ms. */
  static final class ProgressLine {
    private final PrintWriter err;
    private long lastNanos;
    private int width;

    ProgressLine(PrintWriter err) {
      this.err = err;
    }

    /** On the download's event loop; printing a short line to stderr does not block for long. */
    void update(VariantDownloadProgress p) {
      long now = System.nanoTime();
      if (lastNanos != 0 && now - lastNanos < PROGRESS_INTERVAL_NANOS && !p.isComplete()) {
        return;
      }
      lastNanos = now;
      draw(p);
    }

    synchronized void draw(VariantDownloadProgress p) {
      String text = String.format(Locale.ROOT, "%d/%d segments  %.1f MB  %.1f Mbit/s  %.1f s",
          p.segmentsDone(), p.segmentsTotal(), p.bytesWritten() / 1e6, p.rateBps() / 1e6,
          p.elapsedNanos() / 1e9);
      int pad = Math.max(0, width - text.length());
      width = text.length();
      err.print("\r" + text + " ".repeat(pad));
      err.flush();
    }

    void finish(VariantDownloadProgress p) {
      draw(p);
      err.println();
      err.flush();
    }
  }
}
