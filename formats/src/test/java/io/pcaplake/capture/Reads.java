package io.pcaplake.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/** Test helper: reads a source whole or in splits into comparable record values. */
final class Reads {
  private Reads() { }

  /** A record's fields and a CRC-32C of its captured bytes (hardware-assisted: the every-offset sweeps hash a lot). */
  record Rec(long offset, long ts, int caplen, int origlen, int linkType, int iface, int fcs, int dataCrc) {
    static Rec of(CaptureReader r) {
      return new Rec(r.recordOffset(), r.timestampNanos(), r.caplen(), r.origlen(), r.linkType(), r.interfaceId(),
          r.fcsLength(), crc(r.data(), r.dataOffset(), r.caplen()));
    }
  }

  static int crc(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    return (int) crc.getValue();
  }

  record Problem(String reason, long offset, String detail) { }

  /** All records of one split plus the problems and final stats. */
  record Result(List<Rec> records, List<Problem> problems, CaptureStats stats, CaptureInfo info) {
    long count(String reason) {
      return problems.stream().filter(p -> p.reason().equals(reason)).count();
    }
  }

  /** Asserts equal record lists, describing only the first difference (the lists can be long). */
  static void assertSame(List<Rec> expected, List<Rec> actual, String what) {
    int n = Math.min(expected.size(), actual.size());
    for (int i = 0; i < n; i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        throw new AssertionError(what + ": record " + i + " expected " + expected.get(i) + " but got " + actual.get(i)
            + (i + 1 < actual.size() ? " then " + actual.get(i + 1) : ""));
      }
    }
    if (expected.size() != actual.size()) {
      throw new AssertionError(what + ": expected " + expected.size() + " records but got " + actual.size()
          + (n < actual.size() ? ", extra " + actual.get(n) : ", missing " + expected.get(n)));
    }
  }

  static Result split(ByteSource src, long start, long end) throws IOException {
    List<Problem> problems = new ArrayList<>();
    List<Rec> recs = new ArrayList<>();
    try (CaptureReader r = Captures.openSplit(src, start, end,
        (reason, offset, detail) -> problems.add(new Problem(reason, offset, detail)))) {
      while (r.next()) {
        recs.add(Rec.of(r));
      }
      return new Result(recs, problems, r.stats(), r.info());
    }
  }

  static Result all(ByteSource src) throws IOException {
    return split(src, 0, Long.MAX_VALUE);
  }

  static Result all(byte[] bytes) throws IOException {
    return all(new ArrayByteSource("test", bytes));
  }

  /** Reads consecutive splits at the given boundaries (first 0, last Long.MAX_VALUE) and concatenates the records. */
  static List<Rec> splits(ByteSource src, long... bounds) throws IOException {
    List<Rec> out = new ArrayList<>();
    for (int i = 0; i + 1 < bounds.length; i++) {
      out.addAll(split(src, bounds[i], bounds[i + 1]).records());
    }
    return out;
  }

  /** A source that counts the bytes its streams hand out (to check how much a split reads). */
  static final class CountingSource implements ByteSource {
    private final ByteSource in;
    long bytesRead;

    CountingSource(ByteSource in) {
      this.in = in;
    }

    @Override public String name() { return in.name(); }

    @Override public long length() throws IOException { return in.length(); }

    @Override
    public java.io.InputStream openAt(long offset) throws IOException {
      return new java.io.FilterInputStream(in.openAt(offset)) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          bytesRead += b < 0 ? 0 : 1;
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          bytesRead += Math.max(n, 0);
          return n;
        }
      };
    }
  }

  static List<Rec> bySize(ByteSource src, long size) throws IOException {
    long len = src.length();
    List<Long> b = new ArrayList<>();
    for (long s = 0; s < len; s += size) {
      b.add(s);
    }
    b.add(Long.MAX_VALUE);
    return splits(src, b.stream().mapToLong(Long::longValue).toArray());
  }
}
