package io.pcaplake.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every split offset: the records of [0,s) and [s,EOF) are exactly the unsplit records, in order. */
class PcapSplitTest {

  @Test
  void everySplitOffsetOfAnAdversarialPcap() throws IOException {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      byte[] file = Fixtures.pcap(200, order == ByteOrder.BIG_ENDIAN ? 11 : 12, order, order == ByteOrder.BIG_ENDIAN);
      ArrayByteSource src = new ArrayByteSource("s", file);
      List<Reads.Rec> whole = Reads.all(src).records();
      assertEquals(200, whole.size());
      // every offset for one byte order; a stride of 5 for the other (same code, keeps the suite quick)
      for (long s = 0; s <= file.length; s += order == ByteOrder.LITTLE_ENDIAN ? 1 : 5) {
        Reads.Result left = Reads.split(src, 0, s);
        Reads.Result right = Reads.split(src, s, Long.MAX_VALUE);
        List<Reads.Rec> both = new ArrayList<>(left.records());
        both.addAll(right.records());
        Reads.assertSame(whole, both, "split at " + s);
        assertEquals(0, left.stats().bytesSkipped() + right.stats().bytesSkipped(), "split at " + s);
        assertTrue(left.problems().isEmpty() && right.problems().isEmpty(), "split at " + s);
      }
    }
  }

  /**
   * A capture of a pcap download: each record's payload is itself a chain of pcap records with plausible headers and
   * timestamps near the outer ones (the case of {@code http-linux-sll2-large-download}). Larger than two maximal
   * records, so splits really scan; every split start inside an outer payload must still land on the outer records.
   */
  @Test
  void splitsOfACaptureCarryingPcapRecordsInItsPayloads() throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Random rnd = new Random(11);
    long ts = Fixtures.T0;
    try (PcapWriter writer = new PcapWriter(out, ByteOrder.LITTLE_ENDIAN, false, 65_535, 1)) {
      for (int i = 0; i < 60; i++) {
        java.nio.ByteBuffer payload = java.nio.ByteBuffer.allocate(20_000 + rnd.nextInt(40_000))
            .order(ByteOrder.LITTLE_ENDIAN);
        payload.position(14 + rnd.nextInt(40)); // an Ethernet-ish header, then embedded records
        while (payload.remaining() > 16 + 400) {
          int cap = 1 + rnd.nextInt(400);
          payload.putInt((int) (ts / 1_000_000_000L)).putInt(rnd.nextInt(1_000_000)).putInt(cap).putInt(cap);
          payload.position(payload.position() + cap);
        }
        ts += 1_000_000L * (1 + rnd.nextInt(50));
        writer.write(ts, payload.array(), 0, payload.capacity(), payload.capacity());
      }
    }
    byte[] file = out.toByteArray();
    assertTrue(file.length > 2 * 2 * (16 + 262_144), "file must exceed two maximal records: " + file.length);
    ArrayByteSource src = new ArrayByteSource("nested", file);
    List<Reads.Rec> whole = Reads.all(src).records();
    assertEquals(60, whole.size());
    for (long s = 0; s <= file.length; s += 4_999) {
      List<Reads.Rec> both = new ArrayList<>(Reads.split(src, 0, s).records());
      both.addAll(Reads.split(src, s, Long.MAX_VALUE).records());
      Reads.assertSame(whole, both, "split at " + s);
    }
    for (long size : new long[] {4096, 64 << 10, 1 << 20}) {
      Reads.assertSame(whole, Reads.bySize(src, size), "split size " + size);
    }
  }

  /**
   * A split's first read is sized by the split, not by a fixed 1 MiB window: a first split of 333 bytes reads a few
   * KiB; a later one reads its boundary scan (two maximal records before its start) plus about as much.
   */
  @Test
  void aSmallSplitReadsLittle() throws IOException {
    byte[] file = Fixtures.pcap(6000, 13, ByteOrder.LITTLE_ENDIAN, false);
    assertTrue(file.length > 2 << 20, "file " + file.length);
    Reads.CountingSource first = new Reads.CountingSource(new ArrayByteSource("k", file));
    assertFalse(Reads.split(first, 0, 333).records().isEmpty());
    assertTrue(first.bytesRead < 16 << 10, "first split read " + first.bytesRead);
    long start = file.length - 100_000;
    long scan = 2 * (16 + 262_144);
    Reads.CountingSource late = new Reads.CountingSource(new ArrayByteSource("k", file));
    Reads.split(late, start, start + 333);
    assertTrue(late.bytesRead < scan + (16 << 10), "late split read " + late.bytesRead);
  }

  @Test
  void kWaySplitsOfALargerFile() throws IOException {
    byte[] file = Fixtures.pcap(6000, 13, ByteOrder.LITTLE_ENDIAN, false);
    ArrayByteSource src = new ArrayByteSource("k", file);
    List<Reads.Rec> whole = Reads.all(src).records();
    for (long size : new long[] {64 << 10, 1 << 20, 1000, 4096, 333}) {
      Reads.assertSame(whole, Reads.bySize(src, size), "split size " + size);
    }
    Random rnd = new Random(5);
    for (int round = 0; round < 20; round++) {
      List<Long> bounds = new ArrayList<>(List.of(0L));
      long at = 0;
      while (true) {
        at += 1 + rnd.nextInt(20_000);
        if (at >= file.length) {
          break;
        }
        bounds.add(at);
      }
      bounds.add(Long.MAX_VALUE);
      Reads.assertSame(whole, Reads.splits(src, bounds.stream().mapToLong(Long::longValue).toArray()), "round " + round);
    }
  }

  /**
   * pcapng with blocks larger than {@link ByteWindow#SPARSE_READ}, so that a split's walk to its start skips block
   * bodies, and with corrupt trailing lengths, so that the walk must go back for the bytes it skipped and resync
   * exactly as the whole-file read does. Splits at a prime stride and k-way; a late split reads a fraction of the file.
   */
  @Test
  void splitsOfAPcapngWithLargeBlocksAndCorruptTrailers() throws IOException {
    Random rnd = new Random(3);
    java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
    try (PcapngWriter w = new PcapngWriter(bos, ByteOrder.LITTLE_ENDIAN)) {
      w.addInterface(1, 65535, 9, 0, -1);
      long ts = Fixtures.T0;
      for (int i = 0; i < 120; i++) {
        int len = 9_000 + rnd.nextInt(40_000);
        ts += 1_000_000;
        w.writeEpb(0, ts, Fixtures.frame(rnd, len, ByteOrder.LITTLE_ENDIAN, ts), 0, len, len);
      }
    }
    byte[] file = bos.toByteArray();
    List<Reads.Rec> clean = Reads.all(file).records();
    // clean file: a late split's walk reads about one SPARSE_READ per block, not the blocks
    Reads.CountingSource late = new Reads.CountingSource(new ArrayByteSource("clean", file.clone()));
    Reads.split(late, file.length - 60_000, Long.MAX_VALUE);
    assertTrue(late.bytesRead < file.length / 2, "late split read " + late.bytesRead + " of " + file.length);
    for (int k : new int[] {7, 40, 41, 90}) { // corrupt the trailing length of these blocks
      file[(int) clean.get(k + 1).offset() - 4] ^= 0x5a;
    }
    ArrayByteSource src = new ArrayByteSource("large", file);
    Reads.Result all = Reads.all(src);
    // 40 and 41 make one resync: a chain cannot start at 41, whose own trailer is bad
    assertEquals(3, all.count(CaptureReasons.PCAPNG_TRAILING_LENGTH_MISMATCH), all.problems().toString());
    List<Reads.Rec> whole = all.records();
    for (long s = 0; s <= file.length; s += 7_919) {
      Reads.assertSame(whole, Reads.splits(src, 0, s, Long.MAX_VALUE), "split at " + s);
    }
    for (long size : new long[] {65_537, 1 << 20}) {
      Reads.assertSame(whole, Reads.bySize(src, size), "split size " + size);
    }
  }

  @Test
  void everySplitOffsetOfAnAdversarialPcapng() throws IOException {
    byte[] file = Fixtures.pcapng(300, 21);
    ArrayByteSource src = new ArrayByteSource("n", file);
    Reads.Result all = Reads.all(src);
    List<Reads.Rec> whole = all.records();
    assertTrue(whole.size() > 200, "records " + whole.size());
    assertEquals(List.of(), all.problems());
    for (long s = 0; s <= file.length; s += 1) {
      List<Reads.Rec> both = Reads.splits(src, 0, s, Long.MAX_VALUE);
      Reads.assertSame(whole, both, "split at " + s);
    }
    for (long size : new long[] {64 << 10, 1 << 20, 1000, 4096, 97}) {
      Reads.assertSame(whole, Reads.bySize(src, size), "split size " + size);
    }
  }
}
