package io.pcaplake.bench;

import io.pcaplake.capture.CaptureReader;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.FileByteSource;
import io.pcaplake.capture.ProblemSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Checks on a large capture that reading it in byte-range splits yields the same multiset of records as one
 * unsplit read: same count, and the same order-independent fingerprint (sum and xor of a 64-bit hash of each
 * record's offset, timestamp, lengths and bytes).
 *
 * <p>Usage: {@code SplitCheck FILE SPLIT_BYTES...}; exits 1 on any difference.
 */
public final class SplitCheck {
  private SplitCheck() { }

  record Fingerprint(long records, long sum, long xor) { }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: SplitCheck FILE SPLIT_BYTES...");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    long size = Files.size(file);
    long start = System.nanoTime();
    Fingerprint whole = read(file, 0, Long.MAX_VALUE);
    System.out.printf(Locale.ROOT, "unsplit: %,d records in %.1f s%n", whole.records, (System.nanoTime() - start) / 1e9);
    boolean same = true;
    for (int i = 1; i < args.length; i++) {
      long splitSize = Long.parseLong(args[i]);
      start = System.nanoTime();
      long records = 0;
      long sum = 0;
      long xor = 0;
      long splits = 0;
      for (long offset = 0; offset < size; offset += splitSize) {
        Fingerprint part = read(file, offset, Math.min(size, offset + splitSize));
        records += part.records;
        sum += part.sum;
        xor ^= part.xor;
        splits++;
      }
      Fingerprint split = new Fingerprint(records, sum, xor);
      boolean equal = split.equals(whole);
      same &= equal;
      System.out.printf(Locale.ROOT, "split %,d bytes: %,d splits, %,d records in %.1f s: %s%n", splitSize, splits,
          records, (System.nanoTime() - start) / 1e9, equal ? "SAME as unsplit" : "DIFFERENT " + split + " vs " + whole);
    }
    System.exit(same ? 0 : 1);
  }

  static Fingerprint read(Path file, long start, long end) throws IOException {
    long records = 0;
    long sum = 0;
    long xor = 0;
    try (CaptureReader reader = Captures.openSplit(new FileByteSource(file), start, end, ProblemSink.IGNORE)) {
      while (reader.next()) {
        long h = mix(reader.recordOffset()) ^ mix(reader.timestampNanos() + 31L * reader.origlen());
        byte[] data = reader.data();
        int off = reader.dataOffset();
        for (int i = 0; i < reader.caplen(); i++) {
          h = h * 0x100000001b3L ^ data[off + i];
        }
        h = mix(h);
        records++;
        sum += h;
        xor ^= h;
      }
    }
    return new Fingerprint(records, sum, xor);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
