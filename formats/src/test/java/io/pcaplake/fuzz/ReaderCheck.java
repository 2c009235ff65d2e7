package io.pcaplake.fuzz;

import static io.pcaplake.fuzz.FuzzSupport.check;

import io.pcaplake.capture.ArrayByteSource;
import io.pcaplake.capture.CaptureReader;
import io.pcaplake.capture.CaptureStats;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.ProblemSink;
import io.pcaplake.capture.SplitState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads a capture held in memory (whole or one split) and checks what every reader must guarantee on any bytes:
 * no exception, bounded time, bounded allocation, and the record invariants (see {@code docs/fuzzing.md}).
 */
final class ReaderCheck {
  private ReaderCheck() { }

  /** Allocation allowed per input byte: the window (<= input + 64 at first, doubling as bytes arrive) and records. */
  static final long ALLOC_PER_BYTE = 48;
  /**
   * Allocation allowed whatever the input: sniffing, a 4 KiB minimum window, problem details, per-file objects, and
   * in fuzzing mode the instrumentation's own allocations (seen up to ~130 KiB). Still below the 256 KiB that one
   * unbacked maximal pcap caplen used to cost, and far below a 16 MiB pcapng block length.
   */
  static final long ALLOC_CONSTANT = 192 << 10;

  /**
   * In fuzzing mode the coverage instrumentation allocates on its own, in proportion to the work done (seen: 140
   * bytes per input byte on a 2 KiB garbage resync that allocates far less in regression mode), so the bound is 4x
   * looser there; it still catches the MiB-scale allocations an unbacked length field would cause.
   */
  private static final java.lang.management.ClassLoadingMXBean CLASSES =
      java.lang.management.ManagementFactory.getClassLoadingMXBean();
  static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null && !System.getenv("JAZZER_FUZZ").isEmpty();

  /** One returned record, comparable across reads. */
  record Rec(long offset, long ts, int caplen, int origlen, int linkType, int iface, int crc) { }

  record Result(List<Rec> records, CaptureStats stats, String format, String compression, long problems) { }

  static {
    // Class loading and static initializers allocate once per JVM; keep them out of the first input's budget.
    for (byte[] b : new byte[][] {new byte[0], Seeds.pcapWarmup(), Seeds.pcapngWarmup(), {0x1f, (byte) 0x8b, 8, 0}}) {
      read(b, 0, Long.MAX_VALUE, false);
    }
  }

  static void warm() { }

  /**
   * Reads the split {@code [start, end)} of {@code bytes} and checks the invariants. Per format, a returned record
   * needs at least {@code headerBytes} of framing (pcap: 16-byte record header; pcapng: 12 bytes of block type and two
   * lengths) and the file at least {@code fileHeaderBytes} before its first record (pcap: 24).
   */
  static Result readChecked(byte[] bytes, long start, long end) {
    long t0 = System.nanoTime();
    Result r = read(bytes, start, end, true);
    long took = System.nanoTime() - t0;
    // Measured on a second read: the first one of a new path links call sites (string concatenation, lambdas) and
    // loads classes, which allocate once per JVM, not per input.
    // A read during which a class was loaded is measured again: in fuzzing mode Jazzer instruments each class as it
    // loads, in the loading thread, and that costs tens of MB (seen: 37 MB when SplitState first loaded mid-read).
    Result again;
    long alloc;
    int tries = 0;
    do {
      long classes = CLASSES.getTotalLoadedClassCount();
      long a0 = FuzzSupport.allocated();
      again = read(bytes, start, end, false);
      alloc = a0 < 0 ? 0 : FuzzSupport.allocated() - a0;
      if (CLASSES.getTotalLoadedClassCount() == classes) {
        break;
      }
    } while (++tries < 3);
    check(again.records().equals(r.records()), "a second read of the same bytes returned other records");
    check(took < FuzzSupport.TIME_BUDGET_NANOS, "read took " + took / 1_000_000 + " ms for " + bytes.length + " bytes");
    int headerBytes = "pcap".equals(r.format()) ? 16 : "pcapng".equals(r.format()) ? 12 : 0;
    int fileHeaderBytes = "pcap".equals(r.format()) ? 24 : 0;
    if ("none".equals(r.compression())) {
      // Decompression legitimately allocates with the decompressed size; only plain files are bounded by input size.
      long bound = (ALLOC_CONSTANT + ALLOC_PER_BYTE * bytes.length) * (FUZZING ? 4 : 1);
      check(alloc <= bound, "allocated " + alloc + " bytes reading " + bytes.length + " bytes (bound " + bound + "; "
          + r.records().size() + " records, " + r.problems() + " problems, " + r.stats() + ")");
      long used = 0;
      for (Rec rec : r.records()) {
        used += headerBytes + rec.caplen();
        check(rec.offset() + headerBytes + rec.caplen() <= bytes.length,
            "record at " + rec.offset() + " caplen " + rec.caplen() + " runs past the file end " + bytes.length);
      }
      if (!r.records().isEmpty() || r.stats().bytesSkipped() > 0) {
        used += fileHeaderBytes;
      }
      if (start == 0) {
        check(used + r.stats().bytesSkipped() <= bytes.length, "accounting: records " + used + " + skipped "
            + r.stats().bytesSkipped() + " > " + bytes.length + " input bytes (" + r.stats() + ")");
      }
    }
    return r;
  }

  /**
   * Reads the split {@code [start, end)} (start > 0) from its {@link SplitState}, found by the split index walk for
   * the starts {0, start}, with the strict per-record checks; null when the file gets no state (not a pcapng).
   */
  static Result readWithState(byte[] bytes, long start, long end) {
    try {
      SplitState[] states = Captures.splitStates(new ArrayByteSource("fuzz", bytes), new long[] {0, start});
      if (states == null || states[1] == null) {
        return null;
      }
      return read(bytes, start, end, SplitState.decode(states[1].encode()), true);
    } catch (IOException e) {
      throw new UncheckedIOException("an in-memory source cannot fail", e);
    }
  }

  private static Result read(byte[] bytes, long start, long end, boolean strict) {
    return read(bytes, start, end, null, strict);
  }

  private static Result read(byte[] bytes, long start, long end, SplitState state, boolean strict) {
    List<Rec> recs = new ArrayList<>();
    long[] problems = new long[1];
    ProblemSink sink = (reason, offset, detail) -> {
      if (strict) {
        check(reason != null && !reason.isEmpty() && detail != null, "problem without reason or detail");
        check(offset >= -1, "problem offset " + offset);
      }
      problems[0]++;
    };
    try (CaptureReader r = Captures.openSplit(new ArrayByteSource("fuzz", bytes), start, end, state, sink)) {
      long last = -1;
      long ok = 0;
      while (r.next()) {
        ok++;
        byte[] d = r.data();
        int off = r.dataOffset();
        int cap = r.caplen();
        if (strict) {
          check(d != null && off >= 0 && cap >= 0 && off <= d.length && cap <= d.length - off,
              "record at " + r.recordOffset() + ": caplen " + cap + " at " + off + " in a buffer of "
                  + (d == null ? -1 : d.length));
          check(r.recordOffset() > last, "record offsets not increasing: " + last + " then " + r.recordOffset());
          check(r.recordOffset() >= start && r.recordOffset() < end,
              "record at " + r.recordOffset() + " outside split [" + start + ", " + end + ")");
          check(r.fcsLength() >= 0 && r.interfaceId() >= 0, "fcs " + r.fcsLength() + " iface " + r.interfaceId());
        }
        last = r.recordOffset();
        CRC32C crc = new CRC32C();
        crc.update(d, off, cap);
        recs.add(new Rec(r.recordOffset(), r.timestampNanos(), cap, r.origlen(), r.linkType(), r.interfaceId(),
            (int) crc.getValue()));
      }
      CaptureStats s = r.stats();
      if (strict) {
        check(s.recordsOk() == ok, "stats say " + s.recordsOk() + " records, " + ok + " returned");
        check(s.recordsBad() >= 0 && s.bytesSkipped() >= 0 && s.resyncs() >= 0, "negative counter: " + s);
      }
      return new Result(recs, s, r.info().format(), r.info().compression(), problems[0]);
    } catch (IOException e) {
      throw new UncheckedIOException("an in-memory source cannot fail", e);
    }
  }
}
