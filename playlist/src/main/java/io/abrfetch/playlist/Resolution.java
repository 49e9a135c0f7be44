package io.abrfetch.playlist;

import static io.abrfetch.playlist.Checks.checkArgument;

/** A video resolution from a {@code RESOLUTION=<width>x<height>} attribute, in pixels. */
public record Resolution(int widthPx, int heightPx) {
  public Resolution {
    checkArgument(widthPx > 0, "widthPx: %s (expected: > 0)", widthPx);
    checkArgument(heightPx > 0, "heightPx: %s (expected: > 0)", heightPx);
  }

  @Override
  public String toString() {
    return widthPx + "x" + heightPx;
  }
}
