package io.pcaplake.spark.ingest;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * An ingest's progress line on stderr, for both engines: every 2 s redrawn in place on a terminal, else a new line
 * every 10 s (a log file gets a readable history, not a flood). One daemon thread; {@link #stop} ends the line.
 */
final class ProgressLine {
  private final PrintStream err;
  private final Supplier<String> line;
  private final boolean terminal = System.console() != null;
  private Thread printer;

  ProgressLine(PrintStream err, Supplier<String> line) {
    this.err = err;
    this.line = line;
  }

  ProgressLine start() {
    printer = new Thread(this::loop, "pcaplake-progress");
    printer.setDaemon(true);
    printer.start();
    return this;
  }

  void stop() {
    if (printer == null) {
      return;
    }
    printer.interrupt();
    try {
      printer.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (terminal) {
      err.println();
    }
  }

  private void loop() {
    long lastLine = 0;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(2000);
        long now = System.nanoTime();
        if (terminal) {
          err.print("\r" + line.get() + "   ");
          err.flush();
        } else if (now - lastLine >= 10_000_000_000L) {
          err.println(line.get());
          lastLine = now;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Capture bytes read so far, capped at the total when it is known. */
  static long capped(long read, long total) {
    return total > 0 ? Math.min(total, read) : read;
  }

  /** {@code " of T MB (p%)"} when the total is known, else nothing. */
  static String ofTotal(long read, long total) {
    return total > 0
        ? String.format(Locale.ROOT, " of %.1f MB (%d%%)", total / 1e6, Math.min(100, read * 100 / total)) : "";
  }

  /** {@code ", read ETA n s"} while the read is under way, then the elapsed {@code ", s s"}. */
  static String etaAndElapsed(long read, long total, double seconds) {
    String eta = total > 0 && read > 0 && read < total
        ? String.format(Locale.ROOT, ", read ETA %.0f s", seconds * (total - read) / read) : "";
    return eta + String.format(Locale.ROOT, ", %.0f s", seconds);
  }
}
