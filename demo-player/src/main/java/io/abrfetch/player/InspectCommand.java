package io.abrfetch.player;

import io.abrfetch.playlist.Playlist;
import io.abrfetch.playlist.PlaylistException;
import io.abrfetch.playlist.PlaylistParser;
import io.abrfetch.playlist.PlaylistParserOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code abrfetch inspect <URL or file> [--json]}: fetches (Vert.x WebClient, at most
 * {@value #MAX_REDIRECTS} redirects, a body size limit) or reads a playlist and prints its model.
 * Exit status 0 on success, {@value #EXIT_BAD_INPUT} with a one-line message naming the problem
 * when the input is bad or the fetch fails.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
        "Fetches or reads an HLS playlist and prints its model: for a master playlist the variant"
            + " ladder and renditions; for a media playlist its type, target duration, segments,"
            + " byte ranges, keys and maps.",
        "Exit status: 0 on success, 2 on bad input or a failed fetch."},
    sortOptions = false)
public final class InspectCommand implements Callable<Integer> {

  /** Exit status for a malformed playlist, a missing file or a failed fetch. */
  static final int EXIT_BAD_INPUT = 2;

  /** Redirects followed before giving up. */
  static final int MAX_REDIRECTS = 5;

  static final long DEFAULT_TIMEOUT_MS = 10_000;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<URL or file>",
      description = "An http(s) URL, a file: URL or a path to a playlist file.")
  String source;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(names = "--max-size-bytes", paramLabel = "BYTES",
      description = "Largest playlist accepted (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + PlaylistParserOptions.DEFAULT_MAX_SIZE_BYTES)
  long maxSizeBytes;

  @Option(names = "--timeout-ms", paramLabel = "MS",
      description = "Give up on a fetch after this long (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_TIMEOUT_MS)
  long timeoutMs;

  /** The input could not be loaded; the message is one line naming the problem. */
  static final class LoadException extends Exception {
    private static final long serialVersionUID = 1L;

    LoadException(String message) {
      super(message, null, false, false);
    }
  }

  private record Loaded(URI uri, byte[] body) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      if (maxSizeBytes <= 0 || timeoutMs <= 0) {
        throw new LoadException("--max-size-bytes and --timeout-ms must be > 0");
      }
      Loaded loaded = isHttp(source) ? fetch(source) : read(source);
      PlaylistParser parser = new PlaylistParser(
          PlaylistParserOptions.builder().maxSizeBytes(maxSizeBytes).build());
      Playlist playlist = parser.parse(loaded.uri(), loaded.body());
      out.println(json ? InspectJson.of(playlist).encode() : InspectText.of(playlist));
      out.flush();
      return 0;
    } catch (LoadException e) {
      err.println("inspect: " + oneLine(e.getMessage()));
    } catch (PlaylistException e) {
      err.println("inspect: " + source + ": malformed playlist (" + e.kind() + "): "
          + oneLine(e.getMessage()));
    }
    err.flush();
    return EXIT_BAD_INPUT;
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("[\\r\\n]+", " ");
  }

  private static boolean isHttp(String source) {
    String lower = source.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  private Loaded read(String file) throws LoadException {
    Path path;
    try {
      path = file.startsWith("file:") ? Path.of(URI.create(file)) : Path.of(file);
      path = path.toAbsolutePath().normalize();
    } catch (IllegalArgumentException | FileSystemNotFoundException e) {
      // IllegalArgumentException covers InvalidPathException and malformed file: URLs
      throw new LoadException(file + ": not a valid path or http(s) URL");
    }
    try {
      if (!Files.isRegularFile(path)) {
        throw new LoadException(file + ": no such file");
      }
      long size = Files.size(path);
      if (size > maxSizeBytes) {
        throw new LoadException(file + ": too large: " + size + " bytes (limit " + maxSizeBytes + ")");
      }
      return new Loaded(path.toUri(), Files.readAllBytes(path));
    } catch (IOException e) {
      throw new LoadException(file + ": cannot read: " + e.getMessage());
    }
  }

  private Loaded fetch(String url) throws LoadException {
    URI requested;
    try {
      requested = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new LoadException(url + ": not a valid URL: " + e.getMessage());
    }
    if (requested.getHost() == null || requested.getPort() > 65_535) {
      throw new LoadException(url + ": not a valid URL (expected: http(s)://host[:port]/path)");
    }
    Vertx vertx = Vertx.vertx();
    try {
      WebClient client = WebClient.create(vertx, new WebClientOptions()
          .setFollowRedirects(true)
          .setMaxRedirects(MAX_REDIRECTS)
          .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
          .setUserAgent("abrfetch-inspect"));
      HttpResponse<Buffer> response;
      try {
        response = client.getAbs(url)
            .timeout(timeoutMs)
            .as(new InspectBodyCodec(maxSizeBytes))
            .send()
            .toCompletionStage().toCompletableFuture()
            .get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new LoadException(url + ": " + describe(e.getCause()));
      } catch (RuntimeException e) {
        // Vert.x rejects some requests synchronously instead of failing the future
        throw new LoadException(url + ": " + describe(e));
      } catch (TimeoutException e) {
        throw new LoadException(url + ": timed out after " + timeoutMs + " ms");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LoadException(url + ": interrupted");
      }
      int status = response.statusCode();
      if (status >= 300 && status < 400) {
        throw new LoadException(url + ": too many redirects (more than " + MAX_REDIRECTS + ")");
      }
      if (status != 200) {
        throw new LoadException(url + ": HTTP " + status
            + (response.statusMessage() == null ? "" : " " + response.statusMessage()));
      }
      List<String> redirects = response.followedRedirects();
      URI finalUri = redirects == null || redirects.isEmpty()
          ? requested : requested.resolve(redirects.get(redirects.size() - 1));
      return new Loaded(finalUri, response.body() == null ? new byte[0] : response.body().getBytes());
    } finally {
      closeQuietly(vertx);
    }
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // the answer is already printed; a slow shutdown of the private Vert.x changes nothing
    }
  }

  private String describe(Throwable failure) {
    if (failure instanceof InspectBodyCodec.TooLargeException) {
      return "too large: body over " + maxSizeBytes + " bytes";
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "connection refused (" + oneLine(t.getMessage()) + ")";
      }
      if (t instanceof UnknownHostException) {
        return "unknown host " + oneLine(t.getMessage());
      }
      if (t instanceof java.util.concurrent.TimeoutException
          || t.getClass().getSimpleName().contains("Timeout")) {
        return "timed out after " + timeoutMs + " ms";
      }
    }
    return failure.getClass().getSimpleName() + ": " + oneLine(failure.getMessage());
  }
}
