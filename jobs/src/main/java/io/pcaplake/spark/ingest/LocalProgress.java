package io.pcaplake.spark.ingest;

import io.pcaplake.capture.ByteSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The progress line of a local-engine ingest on stderr, on the Spark engine's cadence ({@link IngestProgress}):
 * every 2 s redrawn in place on a terminal, else a new line every 10 s. Capture bytes read (counted by the inputs'
 * streams, {@link #counting}; capped at the total) of the bytes to read, records read, connections written, MB/s, an
 * ETA of the read and the elapsed time.
 */
final class LocalProgress {
  private final PrintStream err;
  private final long totalBytes;
  private final long t0 = System.nanoTime();
  private final AtomicLong bytesRead = new AtomicLong();
  private final boolean terminal = System.console() != null;
  private volatile LongSupplier records = () -> 0;
  private volatile LongSupplier connections = () -> 0;
  private Thread printer;

  LocalProgress(PrintStream err, long totalBytes) {
    this.err = err;
    this.totalBytes = totalBytes;
  }

  /** {@code source}, its bytes read counted into the line. */
  ByteSource counting(ByteSource source) {
    return new ByteSource() {
      @Override
      public String name() {
        return source.name();
      }

      @Override
      public long length() throws IOException {
        return source.length();
      }

      @Override
      public InputStream openAt(long offset) throws IOException {
        return new FilterInputStream(source.openAt(offset)) {
          @Override
          public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
              bytesRead.incrementAndGet();
            }
            return b;
          }

          @Override
          public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
              bytesRead.addAndGet(n);
            }
            return n;
          }

          @Override
          public long skip(long n) throws IOException {
            long k = super.skip(n);
            bytesRead.addAndGet(Math.max(0, k));
            return k;
          }
        };
      }
    };
  }

  void records(LongSupplier s) {
    records = s;
  }

  void connections(LongSupplier s) {
    connections = s;
  }

  LocalProgress start() {
    printer = new Thread(this::loop, "pcaplake-progress");
    printer.setDaemon(true);
    printer.start();
    return this;
  }

  private void loop() {
    long lastLine = 0;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(2000);
        long now = System.nanoTime();
        if (terminal) {
          err.print("\r" + line() + "   ");
          err.flush();
        } else if (now - lastLine >= 10_000_000_000L) {
          err.println(line());
          lastLine = now;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String line() {
    double s = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
    long total = totalBytes;
    long read = total > 0 ? Math.min(total, bytesRead.get()) : bytesRead.get();
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "ingest (local): captures %.1f MB read",
        read / 1e6));
    if (total > 0) {
      sb.append(String.format(Locale.ROOT, " of %.1f MB (%d%%)", total / 1e6, Math.min(100, read * 100 / total)));
    }
    sb.append(String.format(Locale.ROOT, ", %d packets, %d connections, %.1f MB/s", records.getAsLong(),
        connections.getAsLong(), read / 1e6 / s));
    if (total > 0 && read > 0 && read < total) {
      sb.append(String.format(Locale.ROOT, ", read ETA %.0f s", s * (total - read) / read));
    }
    sb.append(String.format(Locale.ROOT, ", %.0f s", s));
    return sb.toString();
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
}
