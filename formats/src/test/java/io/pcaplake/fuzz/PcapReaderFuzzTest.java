package io.pcaplake.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The classic pcap reader over arbitrary bytes. Input: one mode byte, then
 * <ul>
 *   <li>{@code mode & 3 == 0}: the file is the rest of the input as it is (also reaches the sniffer: pcapng, gzip);</li>
 *   <li>{@code 1}: a valid file header (byte order bit 2, ns bit 3, snaplen from the next 4 bytes if bit 4) then the
 *       rest as it is;</li>
 *   <li>{@code 2, 3}: the same header, then records built by {@link CaptureBuilder#pcap} from the rest (valid records,
 *       arbitrary record headers, raw garbage).</li>
 * </ul>
 * Checks: {@link ReaderCheck} (no exception, time, allocation, record invariants, accounting).
 */
class PcapReaderFuzzTest {
  static {
    ReaderCheck.warm();
  }

  @FuzzTest(maxDuration = "2m")
  void fuzz(byte[] data) {
    ReaderCheck.readChecked(file(data), 0, Long.MAX_VALUE);
  }

  static byte[] file(byte[] data) {
    FuzzSupport.In in = new FuzzSupport.In(data);
    int mode = in.u8();
    boolean le = (mode & 4) == 0;
    boolean ns = (mode & 8) != 0;
    int snaplen = (mode & 16) != 0 ? (int) in.u32() : 65535;
    return switch (mode & 3) {
      case 0 -> in.rest();
      case 1 -> concat(CaptureBuilder.pcapHeader(le, ns, snaplen, 1), in.rest());
      default -> CaptureBuilder.pcap(in, le, ns, snaplen, false);
    };
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
