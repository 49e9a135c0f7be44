package io.abrfetch.player;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The live status of a command-line playback: on a terminal one line rewritten in place with
 * {@code \r} (time, variant, buffer, estimate, stalls); elsewhere (a pipe, a log file) a plain
 * line every {@link #PLAIN_EVERY_US} of session time, so logs stay readable.
 *
 * <p>Not thread-safe: fed from the player's context only.
 */
final class StatusLine {
  /** How often a plain (non-terminal) status line is printed, session microseconds. */
  static final long PLAIN_EVERY_US = 5_000_000;

  private final PrintWriter out;
  private final boolean terminal;
  private long nextPlainUs;
  private int lastLength;

  StatusLine(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Whether the JVM runs on an interactive terminal. */
  static boolean onTerminal() {
    return System.console() != null;
  }

  /** Shows {@code status}. */
  void update(PlayerStatus status) {
    String text = format(status);
    if (terminal) {
      // Pad over the previous line's tail when this one is shorter.
      String padded = text.length() < lastLength
          ? text + " ".repeat(lastLength - text.length()) : text;
      out.print("\r" + padded);
      lastLength = text.length();
      out.flush();
    } else if (status.qoe().sessionUs() >= nextPlainUs) {
      nextPlainUs = status.qoe().sessionUs() + PLAIN_EVERY_US;
      out.println(text);
      out.flush();
    }
  }

  /** Ends the rewritten line so what follows starts on a line of its own. */
  void finish() {
    if (terminal && lastLength > 0) {
      out.println();
      out.flush();
    }
  }

  /** One line: {@code 12.3 s playing  v2 2400 kbit/s  buffer 14.2 s  estimate 5.10 Mbit/s  stalls 0 (0.0 s)}. */
  static String format(PlayerStatus s) {
    QoeSummary q = s.qoe();
    String variant = s.variantIndex() < 0 ? "v- " + "   -" : String.format(Locale.ROOT, "v%d %5d",
        s.variantIndex(), s.variantBitrateBps() / 1_000);
    return String.format(Locale.ROOT,
        "%6.1f s %-8s %s kbit/s  buffer %5.1f s  estimate %6.2f Mbit/s  stalls %d (%.1f s)",
        q.sessionUs() / 1e6, s.state().name().toLowerCase(Locale.ROOT), variant,
        s.bufferUs() / 1e6, s.estimateBps() / 1e6, q.stallCount(), q.stallUs() / 1e6);
  }
}
