package io.pcaplake.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Regression for the fuzzing finding "allocation proportional to an unbacked length field" (docs/fuzzing.md): a
 * reader's window grew to the length a header asked for before reading. A tiny file claiming a 16 MiB record must
 * cost kilobytes, not megabytes.
 */
class UnbackedLengthAllocationTest {

  @Test
  void pcapCaplenOfSixteenMibInATinyFile() {
    byte[] header = CaptureBuilder.pcapHeader(true, false, 16 << 20, 1);
    ByteBuffer rec = ByteBuffer.allocate(16 + 40).order(ByteOrder.LITTLE_ENDIAN);
    rec.putInt((int) CaptureBuilder.BASE_SECONDS).putInt(0).putInt((16 << 20) - 1).putInt((16 << 20) - 1);
    assertBounded(PcapReaderFuzzTest.concat(header, rec.array()));
  }

  @Test
  void pcapngBlockLengthOfSixteenMibInATinyFile() {
    byte[] shbIdb = CaptureBuilder.pcapng(new FuzzSupport.In(new byte[0]), true, false);
    ByteBuffer epb = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    epb.putInt(6).putInt((16 << 20) - 4).putInt(0).putInt(0).putInt(0).putInt((16 << 20) - 40).putInt(100);
    assertBounded(PcapReaderFuzzTest.concat(shbIdb, epb.array()));
  }

  private static void assertBounded(byte[] file) {
    ReaderCheck.readChecked(file, 0, Long.MAX_VALUE); // throws on more than 192 KiB + 48 B per input byte
    long a0 = FuzzSupport.allocated();
    ReaderCheck.readChecked(file, 0, Long.MAX_VALUE);
    long alloc = FuzzSupport.allocated() - a0;
    assertTrue(alloc < (1 << 20), "allocated " + alloc + " bytes for a " + file.length + "-byte file");
  }
}
