package io.pcaplake.bench;

import io.pcaplake.capture.ByteSource;
import io.pcaplake.capture.CaptureReader;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.FileByteSource;
import io.pcaplake.capture.PcapngWriter;
import io.pcaplake.capture.ProblemSink;
import io.pcaplake.capture.SplitState;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Reads a pcapng file in splits of {@code SPLIT_BYTES} twice: every split walking from the file start (no state), and
 * with the split index (one {@link Captures#splitStates} walk, then each split from its state). Prints bytes read and
 * wall time of each, and checks both give the same records (count and order-independent fingerprint).
 *
 * <p>Usage: {@code SplitIndexBench FILE SPLIT_BYTES [SIZE_MB]}: writes FILE first if it does not exist, a two-section
 * pcapng (LE then BE, a second interface declared mid-section) of Ethernet-sized EPBs (60-1514 bytes). Exits 1 on a
 * difference.
 */
public final class SplitIndexBench {
  private SplitIndexBench() { }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: SplitIndexBench FILE SPLIT_BYTES [SIZE_MB]");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    long splitBytes = Long.parseLong(args[1]);
    if (!Files.exists(file)) {
      generate(file, (args.length > 2 ? Long.parseLong(args[2]) : 1024) << 20);
    }
    long size = Files.size(file);
    int k = (int) ((size + splitBytes - 1) / splitBytes);
    long[] starts = new long[k];
    for (int i = 0; i < k; i++) {
      starts[i] = i * splitBytes;
    }
    System.out.printf(Locale.ROOT, "%s: %,d bytes, %d splits of %,d bytes (%d cores)%n", file, size, k, splitBytes,
        Runtime.getRuntime().availableProcessors());

    Counting walking = new Counting(new FileByteSource(file));
    long t0 = System.nanoTime();
    long[] a = new long[3];
    for (int i = 0; i < k; i++) {
      read(walking, starts[i], i + 1 < k ? starts[i + 1] : Long.MAX_VALUE, null, a);
    }
    double walkS = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "walking: %,d records, %,d bytes read (%.1f x file), %.2f s%n", a[0], walking.bytes,
        walking.bytes / (double) size, walkS);

    Counting indexed = new Counting(new FileByteSource(file));
    t0 = System.nanoTime();
    SplitState[] states = Captures.splitStates(indexed, starts);
    double indexS = (System.nanoTime() - t0) / 1e9;
    long indexBytes = indexed.bytes;
    long[] b = new long[3];
    for (int i = 0; i < k; i++) {
      read(indexed, starts[i], i + 1 < k ? starts[i + 1] : Long.MAX_VALUE, states[i], b);
    }
    double allS = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "indexed: %,d records, %,d bytes read (%.2f x file; index walk %,d bytes in %.2f s),"
        + " %.2f s%n", b[0], indexed.bytes, indexed.bytes / (double) size, indexBytes, indexS, allS);
    boolean same = a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
    System.out.println(same ? "SAME records" : "DIFFERENT records");
    System.exit(same ? 0 : 1);
  }

  private static void read(ByteSource src, long start, long end, SplitState state, long[] acc) throws IOException {
    try (CaptureReader r = Captures.openSplit(src, start, end, state, ProblemSink.IGNORE)) {
      while (r.next()) {
        long h = r.recordOffset() * 0x9E3779B97F4A7C15L ^ r.timestampNanos() ^ ((long) r.caplen() << 40);
        byte[] d = r.data();
        h = h * 31 + d[r.dataOffset() + r.caplen() - 1];
        acc[0]++;
        acc[1] += h;
        acc[2] ^= h;
      }
    }
  }

  static void generate(Path file, long bytes) throws IOException {
    Random rnd = new Random(1);
    byte[] frame = new byte[1514];
    rnd.nextBytes(frame);
    long ts = 1_700_000_000_000_000_000L;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
         PcapngWriter w = new PcapngWriter(out, ByteOrder.LITTLE_ENDIAN)) {
      w.addInterface(1, 65535, 9, 0, -1);
      long written = 0;
      boolean second = false;
      int ifaces = 1;
      while (true) {
        if (!second && written > bytes / 2) {
          w.newSection(ByteOrder.BIG_ENDIAN);
          w.addInterface(1, 65535, 6, 0, -1);
          second = true;
          ifaces = 1;
        } else if (ifaces == 1 && written > bytes / 4 && !second) {
          w.addInterface(1, 65535, 6, 3600, -1);
          ifaces = 2;
        }
        int len = rnd.nextInt(10) < 6 ? 1514 : 60 + rnd.nextInt(600);
        if (written + 32 + len + 3 + 200 > bytes) { // at most SIZE bytes: 64 splits of 16 MiB for 1 GiB
          break;
        }
        frame[0] = (byte) written;
        ts += 1000 + rnd.nextInt(100_000);
        w.writeEpb(rnd.nextInt(ifaces), ts, frame, 0, len, len);
        written += 32 + len + ((4 - (len & 3)) & 3);
      }
    }
  }

  /** Counts the bytes the source's streams hand out. */
  private static final class Counting implements ByteSource {
    private final ByteSource in;
    long bytes;

    Counting(ByteSource in) {
      this.in = in;
    }

    @Override public String name() { return in.name(); }

    @Override public long length() throws IOException { return in.length(); }

    @Override
    public InputStream openAt(long offset) throws IOException {
      return new FilterInputStream(in.openAt(offset)) {
        @Override
        public int read() throws IOException {
          int c = super.read();
          bytes += c < 0 ? 0 : 1;
          return c;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          int n = super.read(buf, off, len);
          bytes += Math.max(n, 0);
          return n;
        }
      };
    }
  }
}
