package io.pcaplake.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The split index ({@link Captures#splitStates}, {@link SplitState}): a split opened with its state returns exactly
 * what the same split returns when it walks from the file start (records, problems, counters, info), so the splits
 * of a file still return the whole file's records exactly once; and the index makes k splits cost one walk.
 */
class SplitStateTest {

  /**
   * Several sections of both byte orders, IDBs in the middle of sections (with other tsresol, tsoffset, fcslen),
   * packets on the later interfaces, garbage runs, wrong trailing lengths, blocks larger than the sparse read, a cut
   * last block.
   */
  static byte[] hostilePcapng(int blocks, long seed) throws IOException {
    Random rnd = new Random(seed);
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    List<Integer> trailers = new ArrayList<>(); // end offsets of the blocks whose trailing length is made wrong
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    try (PcapngWriter w = new PcapngWriter(bos, order)) {
      int ifaces = 1;
      w.addInterface(1, 65535, 6, 0, -1);
      long ts = Fixtures.T0;
      for (int i = 0; i < blocks; i++) {
        ts += rnd.nextInt(1_000_000_000);
        int kind = rnd.nextInt(40);
        int len = rnd.nextInt(40) == 0 ? 9_000 + rnd.nextInt(4_000) : Fixtures.size(rnd);
        byte[] f = Fixtures.frame(rnd, len, order, ts);
        if (kind == 0) {
          order = rnd.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
          w.newSection(order);
          w.addInterface(rnd.nextBoolean() ? 1 : 101, 65535, 6, 0, -1);
          ifaces = 1;
        } else if (kind <= 2) {
          w.addInterface(rnd.nextBoolean() ? 1 : 113, 65535, rnd.nextBoolean() ? 9 : 0x80 | 20, rnd.nextInt(100),
              rnd.nextBoolean() ? 4 : -1);
          ifaces++;
        } else if (kind == 3) {
          byte[] g = new byte[1 + rnd.nextInt(300)];
          rnd.nextBytes(g);
          w.writeRaw(g, 0, g.length);
        } else if (kind == 4) {
          w.writeEpb(rnd.nextInt(ifaces), ts, f, 0, len, len);
          w.flush();
          trailers.add(bos.size());
        } else if (kind == 5) {
          w.writeSpb(f, 0, len);
        } else if (kind == 6) {
          w.writeCustomBlock(32473, f);
        } else {
          w.writeEpb(rnd.nextInt(ifaces), ts, f, 0, len, len + rnd.nextInt(3));
        }
      }
    }
    byte[] file = bos.toByteArray();
    for (int end : trailers) {
      file[end - 4] ^= 0x5a;
    }
    return Arrays.copyOf(file, file.length - 1 - new Random(seed).nextInt(20)); // the last block cut
  }

  private static Reads.Result withState(ByteSource src, long start, long end, SplitState state) throws IOException {
    List<Reads.Problem> problems = new ArrayList<>();
    List<Reads.Rec> recs = new ArrayList<>();
    try (CaptureReader r = Captures.openSplit(src, start, end, state,
        (reason, offset, detail) -> problems.add(new Reads.Problem(reason, offset, detail)))) {
      while (r.next()) {
        recs.add(Reads.Rec.of(r));
      }
      return new Reads.Result(recs, problems, r.stats(), r.info());
    }
  }

  /** The split read with its state equals the split read by walking, in every respect. */
  private static void assertSameSplit(Reads.Result walked, Reads.Result indexed, String what) {
    Reads.assertSame(walked.records(), indexed.records(), what);
    assertEquals(walked.problems(), indexed.problems(), what);
    assertEquals(walked.stats().toString(), indexed.stats().toString(), what);
    assertEquals(walked.info(), indexed.info(), what);
  }

  /** Reads the splits at {@code bounds} both ways, checks each pair, returns the concatenated records. */
  private static List<Reads.Rec> compareSplits(ByteSource src, long[] bounds, String what) throws IOException {
    long[] starts = Arrays.copyOf(bounds, bounds.length - 1);
    SplitState[] states = Captures.splitStates(src, starts);
    assertNotNull(states, what);
    List<Reads.Rec> out = new ArrayList<>();
    for (int i = 0; i < starts.length; i++) {
      SplitState state = states[i];
      if (starts[i] > 0) {
        assertNotNull(state, what + " state " + i);
        assertEquals(state, SplitState.decode(state.encode()), what + " state round trip " + i);
        state = SplitState.decode(state.encode());
      }
      Reads.Result indexed = withState(src, starts[i], bounds[i + 1], state);
      assertSameSplit(Reads.split(src, starts[i], bounds[i + 1]), indexed, what + " split " + i + " at " + starts[i]);
      out.addAll(indexed.records());
    }
    return out;
  }

  @Test
  void everySplitOffsetOfAHostilePcapngGivesTheWalksResults() throws IOException {
    byte[] file = hostilePcapng(150, 31);
    ArrayByteSource src = new ArrayByteSource("hostile", file);
    Reads.Result all = Reads.all(src);
    List<Reads.Rec> whole = all.records();
    assertTrue(whole.size() > 90, "records " + whole.size());
    // the fixture really has what it claims
    assertTrue(all.count(CaptureReasons.PCAPNG_TRAILING_LENGTH_MISMATCH) >= 3, all.problems().toString());
    assertTrue(all.count(CaptureReasons.PCAPNG_TRUNCATED_BLOCK) == 1, all.problems().toString());
    assertTrue(whole.stream().anyMatch(r -> r.iface() >= 2), "packets on interfaces declared mid-section");
    assertTrue(whole.stream().anyMatch(r -> r.fcs() == 4), "an interface with if_fcslen");
    for (long s = 1; s <= file.length; s += 5) {
      List<Reads.Rec> both = compareSplits(src, new long[] {0, s, Long.MAX_VALUE}, "split at " + s);
      Reads.assertSame(whole, both, "split at " + s);
    }
  }

  @Test
  void kWaySplitsShareOneIndexAndReadTheWholeFileOnce() throws IOException {
    for (long seed : new long[] {32, 33}) {
      byte[] file = hostilePcapng(800, seed);
      ArrayByteSource src = new ArrayByteSource("k", file);
      List<Reads.Rec> whole = Reads.all(src).records();
      for (long size : new long[] {331, 4096, 65_537}) {
        List<Long> b = new ArrayList<>();
        for (long s = 0; s < file.length; s += size) {
          b.add(s);
        }
        b.add(Long.MAX_VALUE);
        long[] bounds = b.stream().mapToLong(Long::longValue).toArray();
        Reads.assertSame(whole, compareSplits(src, bounds, "seed " + seed + " size " + size),
            "seed " + seed + " size " + size);
      }
    }
  }

  /** Per file: the index walk plus every split reads about the file once, where the walking splits read it k/2 times. */
  @Test
  void theIndexMakesKSplitsCostOneWalk() throws IOException {
    byte[] file = Fixtures.pcapng(4_000, 34); // Ethernet-sized blocks: a walk reads every byte before its split
    int k = 32;
    long size = file.length / k + 1;
    long[] starts = new long[k];
    for (int i = 0; i < k; i++) {
      starts[i] = i * size;
    }
    Reads.CountingSource walking = new Reads.CountingSource(new ArrayByteSource("w", file));
    Reads.CountingSource indexed = new Reads.CountingSource(new ArrayByteSource("i", file));
    SplitState[] states = Captures.splitStates(indexed, starts);
    long indexBytes = indexed.bytesRead;
    List<Reads.Rec> a = new ArrayList<>();
    List<Reads.Rec> b = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      long end = i + 1 < k ? starts[i + 1] : Long.MAX_VALUE;
      a.addAll(Reads.split(walking, starts[i], end).records());
      b.addAll(withState(indexed, starts[i], end, states[i]).records());
    }
    Reads.assertSame(a, b, "indexed vs walking");
    Reads.assertSame(Reads.all(file).records(), b, "indexed vs whole");
    assertTrue(indexBytes <= file.length + (1 << 20), "index read " + indexBytes + " of " + file.length);
    assertTrue(indexed.bytesRead < 2L * file.length + k * (8L << 10),
        "indexed splits read " + indexed.bytesRead + " of " + file.length);
    assertTrue(walking.bytesRead > (k / 4) * (long) file.length,
        "walking splits read " + walking.bytesRead + " of " + file.length);
  }

  @Test
  void noIndexWhereNoneIsNeeded() throws IOException {
    byte[] pcap = Fixtures.pcap(50, 3, ByteOrder.LITTLE_ENDIAN, false);
    assertNull(Captures.splitStates(new ArrayByteSource("p", pcap), new long[] {0, 100}), "pcap");
    byte[] ng = Fixtures.pcapng(50, 3);
    assertNull(Captures.splitStates(new ArrayByteSource("n", ng), new long[] {0}), "one split");
    SplitState[] states = Captures.splitStates(new ArrayByteSource("n", ng), new long[] {0, 100, ng.length + 10});
    assertNull(states[0], "start 0 needs no state");
    assertTrue(states[2].done(), "a start past the end: nothing to read");
    assertEquals(List.of(), withState(new ArrayByteSource("n", ng), ng.length + 10, Long.MAX_VALUE, states[2])
        .records());
    assertThrows(IllegalArgumentException.class,
        () -> Captures.openSplit(new ArrayByteSource("n", ng), 200, 300, states[1], ProblemSink.IGNORE));
    assertThrows(IllegalArgumentException.class, () -> SplitState.decode(new byte[] {9, 1, 2}));
    byte[] enc = states[1].encode();
    assertArrayEquals(enc, SplitState.decode(enc).encode());
  }
}
