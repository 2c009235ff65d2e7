package io.pcaplake.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The pcapng reader over arbitrary bytes. Input: one mode byte, then
 * <ul>
 *   <li>{@code mode & 3 == 0}: the file is the rest of the input as it is;</li>
 *   <li>{@code 1}: a valid SHB (byte order bit 2) and Ethernet IDB, then the rest as it is;</li>
 *   <li>{@code 2, 3}: blocks built by {@link CaptureBuilder#pcapng} from the rest (EPB/SPB/PB/IDB/ISB/NRB, new
 *       sections in either byte order, custom and unknown blocks, raw garbage).</li>
 * </ul>
 * Checks: {@link ReaderCheck}.
 */
class PcapngReaderFuzzTest {
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
    return switch (mode & 3) {
      case 0 -> in.rest();
      case 1 -> PcapReaderFuzzTest.concat(CaptureBuilder.pcapng(new FuzzSupport.In(new byte[0]), le, false),
          in.rest());
      default -> CaptureBuilder.pcapng(in, le, false);
    };
  }
}
