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
  private final long totalBytes;
  private final long t0 = System.nanoTime();
  private final AtomicLong bytesRead = new AtomicLong();
  private volatile LongSupplier records = () -> 0;
  private volatile LongSupplier connections = () -> 0;
  /** What is being read after the main pass (the --packets pass), shown in the line; empty: the main pass. */
  private volatile String phase = "";
  private final ProgressLine ticker;

  LocalProgress(PrintStream err, long totalBytes) {
    this.totalBytes = totalBytes;
    this.ticker = new ProgressLine(err, this::line);
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

  void phase(String p) {
    phase = p;
  }

  LocalProgress start() {
    ticker.start();
    return this;
  }

  String line() {
    double s = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
    long read = ProgressLine.capped(bytesRead.get(), totalBytes);
    return String.format(Locale.ROOT, "ingest (local%s): captures %.1f MB read", phase.isEmpty() ? "" : ", " + phase,
        read / 1e6)
        + ProgressLine.ofTotal(read, totalBytes)
        + String.format(Locale.ROOT, ", %d packets, %d connections, %.1f MB/s", records.getAsLong(),
            connections.getAsLong(), read / 1e6 / s)
        + ProgressLine.etaAndElapsed(read, totalBytes, s);
  }

  void stop() {
    ticker.stop();
  }

}
