package io.pcaplake.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcapngReaderTest {
  private static final long T = 1_600_000_000_123_456_789L;
  private static final byte[] F = {1, 2, 3, 4, 5, 6, 7};

  interface Body {
    void write(PcapngWriter w) throws IOException;
  }

  static byte[] file(ByteOrder order, Body body) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (PcapngWriter w = new PcapngWriter(bos, order)) {
      body.write(w);
    }
    return bos.toByteArray();
  }

  @Test
  void sectionsInBothByteOrdersResolutionsOffsetsAndBlockKinds() throws IOException {
    byte[] f = file(ByteOrder.BIG_ENDIAN, w -> {
      w.addInterface(1, 65535, 9, 0, 4);          // ns, 4-byte FCS
      w.addInterface(0, 65535, 0x80 | 30, 0, -1);  // 2^-30 s
      w.writeEpb(0, T, F, 0, 7, 9);
      w.writeNrb(new byte[] {10, 0, 0, 1}, "host");
      w.writeEpb(1, T, F, 0, 3, 3);
      w.writeCustomBlock(32473, new byte[] {9, 9, 9});
      w.writeBlock(0x7777, new byte[] {1, 2, 3, 4, 5}); // unknown block type: skipped by its length
      w.newSection(ByteOrder.LITTLE_ENDIAN);
      w.addInterface(101, 4, 6, 100, -1);          // µs with if_tsoffset 100 s, snaplen 4
      w.writeObsoletePb(0, T, F, 0, 2, 2);
      w.writeSpb(F, 0, 7);                          // caplen = min(origlen 7, snaplen 4)
      w.writeIsb(0, T);
    });
    Reads.Result r = Reads.all(f);
    assertEquals(List.of(), r.problems());
    List<Reads.Rec> recs = r.records();
    assertEquals(4, recs.size());
    assertEquals(T, recs.get(0).ts());
    assertEquals(9, recs.get(0).origlen());
    assertEquals(4, recs.get(0).fcs());
    assertEquals(1, recs.get(0).linkType());
    assertEquals(0, recs.get(1).linkType());
    assertEquals(1, recs.get(1).iface());
    assertEquals(T, recs.get(1).ts());
    assertEquals(101, recs.get(2).linkType());
    assertEquals(T - 789, recs.get(2).ts()); // µs resolution, offset applied back
    assertEquals(0, recs.get(2).iface());     // interface ids restart per section
    assertEquals(4, recs.get(3).caplen());
    assertEquals(7, recs.get(3).origlen());
    assertEquals(Reads.crc(new byte[] {1, 2, 3, 4}, 0, 4), recs.get(3).dataCrc());
    assertEquals(List.of(1, 0, 101), r.info().linkTypes());
    assertEquals("BE", r.info().byteOrder());
    assertEquals("pcapng", Captures.sniff(new ArrayByteSource("x", f)).format());
  }

  @Test
  void tsresolConversions() {
    assertEquals(1_500_000_000L, new PcapngInterface(1, 0, 6, 0, 0).toNanos(1_500_000));
    assertEquals(1_500_000_000L, new PcapngInterface(1, 0, 0x80 | 1, 0, 0).toNanos(3));
    assertEquals(1_000L, new PcapngInterface(1, 0, 12, 0, 0).toNanos(1_000_000));
    assertEquals(2_000_000_000L + 500_000_000L, new PcapngInterface(1, 0, 0x80 | 20, 2, 0).toNanos(1L << 19));
  }

  private static byte[] good() throws IOException {
    return file(ByteOrder.LITTLE_ENDIAN, w -> {
      w.addInterface(1, 65535, 6, 0, -1);
      for (int i = 0; i < 6; i++) {
        w.writeEpb(0, T + i, F, 0, 7, 7);
      }
    });
  }

  // SHB 28 + IDB 24 (with its end-of-options) = 52; each EPB is 32 + 8 = 40 bytes
  private static final int FIRST_EPB = 52;
  private static final int EPB = 40;

  @Test
  void wrongTrailingLengthIsSkippedByResync() throws IOException {
    byte[] f = good();
    ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(FIRST_EPB + 2 * EPB - 4, 44);
    Reads.Result r = Reads.all(f);
    assertEquals(5, r.records().size());
    assertEquals(1, r.count(CaptureReasons.PCAPNG_TRAILING_LENGTH_MISMATCH), r.problems().toString());
    assertEquals(EPB, r.stats().bytesSkipped());
  }

  @Test
  void badBlockLengthIsSkippedByResync() throws IOException {
    byte[] f = good();
    ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(FIRST_EPB + EPB + 4, 0x7FFFFFF1);
    Reads.Result r = Reads.all(f);
    assertEquals(5, r.records().size());
    assertEquals(1, r.count(CaptureReasons.PCAPNG_BAD_BLOCK_LENGTH));
    assertEquals(EPB, r.stats().bytesSkipped());
  }

  @Test
  void epbBeforeIdbAndUnknownInterface() throws IOException {
    byte[] f = file(ByteOrder.LITTLE_ENDIAN, w -> {
      w.writeBlock(PcapngBlocks.EPB, ByteBuffer.allocate(20 + 8).order(ByteOrder.LITTLE_ENDIAN)
          .putInt(0).putInt(0).putInt(0).putInt(7).putInt(7).array());
      w.addInterface(1, 65535, 6, 0, -1);
      w.writeBlock(PcapngBlocks.EPB, ByteBuffer.allocate(20 + 8).order(ByteOrder.LITTLE_ENDIAN)
          .putInt(5).putInt(0).putInt(0).putInt(7).putInt(7).array());
      w.writeEpb(0, T, F, 0, 7, 7);
    });
    Reads.Result r = Reads.all(f);
    assertEquals(1, r.records().size());
    assertEquals(2, r.stats().recordsBad());
    assertEquals(1, r.count(CaptureReasons.PCAPNG_EPB_BEFORE_IDB));
    assertEquals(1, r.count(CaptureReasons.PCAPNG_UNKNOWN_INTERFACE));
  }

  @Test
  void optionPastTheBlockEndAndCaplenPastTheBlock() throws IOException {
    byte[] f = file(ByteOrder.LITTLE_ENDIAN, w -> {
      w.writeBlock(PcapngBlocks.IDB, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
          .putShort((short) 1).putShort((short) 0).putInt(65535).putShort((short) 9).putShort((short) 200).array());
      w.writeBlock(PcapngBlocks.EPB, ByteBuffer.allocate(20 + 8).order(ByteOrder.LITTLE_ENDIAN)
          .putInt(0).putInt(0).putInt(0).putInt(900).putInt(900).array());
      w.writeBlock(PcapngBlocks.EPB, ByteBuffer.allocate(20 + 8).order(ByteOrder.LITTLE_ENDIAN)
          .putInt(0).putInt(0).putInt(0).putInt(7).putInt(7).array());
    });
    Reads.Result r = Reads.all(f);
    assertEquals(1, r.records().size());
    assertEquals(1, r.count(CaptureReasons.PCAPNG_OPTION_OVERRUN));
    assertEquals(1, r.count(CaptureReasons.PCAPNG_CAPLEN_EXCEEDS_BLOCK));
  }

  @Test
  void truncatedAtEveryByteOfTheLastBlock() throws IOException {
    byte[] f = good();
    int last = f.length - EPB;
    for (int cut = last + 1; cut < f.length; cut++) {
      Reads.Result r = Reads.all(Arrays.copyOf(f, cut));
      assertEquals(5, r.records().size(), "cut " + cut);
      assertEquals(1, r.count(CaptureReasons.PCAPNG_TRUNCATED_BLOCK), "cut " + cut);
      assertEquals(cut - last, r.stats().bytesSkipped(), "cut " + cut);
    }
  }

  @Test
  void garbageBetweenBlocksEveryByteAccountedAndSplitsAgree() throws IOException {
    byte[] f = good();
    byte[] garbage = new byte[301];
    new java.util.Random(4).nextBytes(garbage);
    byte[] g = PcapReaderTest.concat(Arrays.copyOf(f, FIRST_EPB + 3 * EPB), garbage,
        Arrays.copyOfRange(f, FIRST_EPB + 3 * EPB, f.length));
    Reads.Result r = Reads.all(g);
    assertEquals(6, r.records().size(), r.problems().toString());
    assertEquals(301, r.stats().bytesSkipped());
    assertEquals(g.length, FIRST_EPB + 6L * EPB + r.stats().bytesSkipped());
    ArrayByteSource src = new ArrayByteSource("g", g);
    for (long s = 0; s <= g.length; s++) {
      Reads.assertSame(r.records(), Reads.splits(src, 0, s, Long.MAX_VALUE), "split " + s);
    }
  }
}
