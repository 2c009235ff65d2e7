package io.pcaplake.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helper: reads a source whole or in splits into comparable record values. */
final class Reads {
  private Reads() { }

  record Rec(long offset, long ts, int caplen, int origlen, int linkType, int iface, int fcs, int hash) {
    static Rec of(CaptureReader r) {
      byte[] d = Arrays.copyOfRange(r.data(), r.dataOffset(), r.dataOffset() + r.caplen());
      return new Rec(r.recordOffset(), r.timestampNanos(), r.caplen(), r.origlen(), r.linkType(), r.interfaceId(),
          r.fcsLength(), Arrays.hashCode(d));
    }
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
