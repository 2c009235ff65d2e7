package io.pcaplake.capture;

/** pcapng block type codes, option codes and sizes (draft-ietf-opsawg-pcapng). */
final class PcapngBlocks {
  private PcapngBlocks() { }

  static final int SHB = 0x0A0D0D0A;
  static final int IDB = 0x00000001;
  static final int PB = 0x00000002;
  static final int SPB = 0x00000003;
  static final int NRB = 0x00000004;
  static final int ISB = 0x00000005;
  static final int EPB = 0x00000006;
  static final int DSB = 0x0000000A;
  static final int CUSTOM = 0x00000BAD;
  static final int CUSTOM_NO_COPY = 0x40000BAD;
  static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;

  static final int OPT_END = 0;
  static final int IF_TSRESOL = 9;
  static final int IF_FCSLEN = 13;
  static final int IF_TSOFFSET = 14;

  static final int MIN_BLOCK = 12;
  static final int MIN_SHB = 28;
  static final int MIN_IDB = 20;
  static final int MIN_EPB = 32;
  static final int MIN_SPB = 16;
  /** Larger blocks are treated as corrupt lengths (libpcap uses the same 16 MiB bound). */
  static final int MAX_BLOCK = 16 << 20;

  /** Block types a resync candidate may have: the standard ones plus the experimental/registered 0x7-0x9. */
  static boolean known(int type) {
    return switch (type) {
      case SHB, IDB, PB, SPB, NRB, ISB, EPB, DSB, CUSTOM, CUSTOM_NO_COPY, 0x7, 0x8, 0x9 -> true;
      default -> false;
    };
  }

  static int pad4(long n) {
    return (int) ((4 - (n & 3)) & 3);
  }
}
