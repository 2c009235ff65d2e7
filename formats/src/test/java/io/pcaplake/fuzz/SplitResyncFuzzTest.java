package io.pcaplake.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Split resync at an arbitrary offset: the records of {@code [0, s)} followed by those of {@code [s, EOF)} are exactly
 * the records of the unsplit read. Input: a mode byte, two bytes choosing {@code s} as a fraction of the file, then
 * the file: bit 0 chooses pcapng over pcap; bit 1 set gives a well-formed file built by the project's writers from the
 * rest of the input ({@link CaptureBuilder} with {@code wellFormed}), clear gives the reader targets' adversarial
 * layouts. See {@code docs/fuzzing.md} for why exactly-once is asserted on well-formed files only. On every input
 * (adversarial too), a pcapng second split read from its split-index state must equal the same split walking.
 */
class SplitResyncFuzzTest {
  static {
    ReaderCheck.warm();
  }

  @FuzzTest(maxDuration = "2m")
  void fuzz(byte[] data) {
    FuzzSupport.In in = new FuzzSupport.In(data);
    int mode = in.u8();
    int fraction = in.u16();
    boolean ng = (mode & 1) != 0;
    boolean wellFormed = (mode & 2) != 0;
    byte[] file;
    if (wellFormed) {
      boolean le = (mode & 4) == 0;
      file = ng ? CaptureBuilder.pcapng(in, le, true)
          : CaptureBuilder.pcap(in, le, (mode & 8) != 0, 65535, true);
    } else {
      byte[] rest = in.rest();
      file = ng ? PcapngReaderFuzzTest.file(rest) : PcapReaderFuzzTest.file(rest);
    }
    long s = (long) fraction * (file.length + 1) / 65536;
    ReaderCheck.Result whole = ReaderCheck.readChecked(file, 0, Long.MAX_VALUE);
    ReaderCheck.Result first = ReaderCheck.readChecked(file, 0, s);
    ReaderCheck.Result second = ReaderCheck.readChecked(file, s, Long.MAX_VALUE);
    if (s > 0) {
      // The split index (any input, adversarial too): the second split read from its recorded state is the same
      // split as when it walks from the file start.
      ReaderCheck.Result indexed = ReaderCheck.readWithState(file, s, Long.MAX_VALUE);
      if (indexed != null && !(indexed.records().equals(second.records())
          && indexed.stats().toString().equals(second.stats().toString()) && indexed.problems() == second.problems())) {
        throw new AssertionError("split at " + s + " of " + file.length + ": with its state " + indexed.records().size()
            + " records, " + indexed.stats() + ", " + indexed.problems() + " problems; walking "
            + second.records().size() + " records, " + second.stats() + ", " + second.problems() + " problems");
      }
    }
    List<ReaderCheck.Rec> joined = new ArrayList<>(first.records());
    joined.addAll(second.records());
    if (!joined.equals(whole.records())) {
      throw new AssertionError("split at " + s + " of " + file.length + " (" + whole.format() + ", well-formed "
          + wellFormed + "): " + first.records().size() + " + " + second.records().size() + " records, unsplit "
          + whole.records().size() + "; first difference: " + firstDifference(whole.records(), joined));
    }
  }

  private static String firstDifference(List<ReaderCheck.Rec> expected, List<ReaderCheck.Rec> actual) {
    for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
      ReaderCheck.Rec e = i < expected.size() ? expected.get(i) : null;
      ReaderCheck.Rec a = i < actual.size() ? actual.get(i) : null;
      if (e == null || !e.equals(a)) {
        return "#" + i + " expected " + e + " got " + a;
      }
    }
    return "none";
  }
}
