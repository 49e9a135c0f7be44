package io.abrfetch.player.serve;

/**
 * A configuration value or request field that cannot be used: {@link #path()} names it (for
 * example {@code downloader.maxInFlight}), the message says what was expected and what was found:
 * {@code "downloader.maxInFlight: expected a positive integer, got -3"}.
 *
 * <p>Thrown at deploy time by {@link ServeConfig#fromJson} (the deployment fails with it) and,
 * for the body of an API request, turned into a 400 answer.
 */
public final class ServeConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String path;

  ServeConfigException(String path, String problem) {
    super(path.isEmpty() ? problem : path + ": " + problem);
    this.path = path;
  }

  /** The dotted key path of the bad value ({@code ""} for the whole document). */
  public String path() {
    return path;
  }
}
