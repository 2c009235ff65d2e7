package io.pcaplake.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Record accounting across splits ({@code docs/accounting.md}): for every split point of a capture with a garbage
 * run and a cut last record, the two splits' {@code recordsOk} and {@code recordsBad} add up to the whole file's, so
 * a garbage run or a cut record is counted once however the file is split (pcap and pcapng).
 */
class SplitAccountingTest {
  private static final long T = 1_700_000_000_000_000_000L;

  private static void assertSplitsAddUp(byte[] f, long expectedOk, long expectedBad) throws IOException {
    Reads.Result whole = Reads.all(f);
    assertEquals(expectedOk, whole.stats().recordsOk(), whole.problems().toString());
    assertEquals(expectedBad, whole.stats().recordsBad(), whole.problems().toString());
    ArrayByteSource src = new ArrayByteSource("f", f);
    for (long s = 1; s < f.length; s++) {
      CaptureStats a = Reads.split(src, 0, s).stats();
      CaptureStats b = Reads.split(src, s, Long.MAX_VALUE).stats();
      assertEquals(expectedOk, a.recordsOk() + b.recordsOk(), "records ok, split at " + s);
      assertEquals(expectedBad, a.recordsBad() + b.recordsBad(), "records bad, split at " + s);
    }
  }

  private static byte[] garbage(int n) {
    byte[] g = new byte[n];
    new Random(6).nextBytes(g);
    return g;
  }

  @Test
  void pcapGarbageRunAndCutRecordAreCountedOnce() throws IOException {
    byte[] frame = new byte[60];
    Arrays.fill(frame, (byte) 0x42);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(out, ByteOrder.LITTLE_ENDIAN, false, 65535, 1)) {
      for (int i = 0; i < 12; i++) {
        if (i == 6) {
          w.writeRaw(garbage(500), 0, 500);
        }
        w.write(T + i * 1_000_000L, frame, 0, frame.length, frame.length);
      }
    }
    byte[] f = Arrays.copyOf(out.toByteArray(), out.size() - 10);  // the last record cut
    assertSplitsAddUp(f, 11, 2);
  }

  @Test
  void pcapngGarbageRunAndCutBlockAreCountedOnce() throws IOException {
    byte[] frame = new byte[60];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapngWriter w = new PcapngWriter(out, ByteOrder.LITTLE_ENDIAN)) {
      w.addInterface(1, 65535, 9, 0, -1);
      for (int i = 0; i < 12; i++) {
        if (i == 6) {
          w.writeRaw(garbage(500), 0, 500);
        }
        w.writeEpb(0, T + i * 1_000_000L, frame, 0, frame.length, frame.length);
      }
    }
    byte[] f = Arrays.copyOf(out.toByteArray(), out.size() - 10);
    assertSplitsAddUp(f, 11, 2);
  }
}
