package io.pcaplake.capture;

import java.util.List;

/**
 * The 24-byte classic pcap file header.
 *
 * @param littleEndian byte order of every header field in the file
 * @param nanosecond {@code 0xA1B23C4D} magic: record fractions are nanoseconds
 * @param snaplen the header snaplen as written (unsigned, may be 0 or absurd)
 * @param linkType LINKTYPE_* with the FCS bits masked off
 * @param fcsLength FCS bytes per frame when the F bit is set, else 0
 */
record PcapFileHeader(boolean littleEndian, boolean nanosecond, int versionMajor, int versionMinor, long snaplen,
                      int linkType, int fcsLength) {
  static final int LENGTH = 24;
  static final int MAGIC_US = 0xA1B2C3D4;
  static final int MAGIC_NS = 0xA1B23C4D;

  static boolean isMagic(int bigEndianFirstWord) {
    return bigEndianFirstWord == MAGIC_US || bigEndianFirstWord == MAGIC_NS
        || Integer.reverseBytes(bigEndianFirstWord) == MAGIC_US || Integer.reverseBytes(bigEndianFirstWord) == MAGIC_NS;
  }

  static String byteOrderOf(byte[] head) {
    int be = Bytes.i32(head, 0, false);
    return be == MAGIC_US || be == MAGIC_NS ? "BE" : "LE";
  }

  /** Parses the first 24 bytes; the caller checked the magic. */
  static PcapFileHeader parse(byte[] h) {
    int be = Bytes.i32(h, 0, false);
    boolean le = !(be == MAGIC_US || be == MAGIC_NS);
    int magic = Bytes.i32(h, 0, le);
    int major = le ? (h[4] & 0xFF) | (h[5] & 0xFF) << 8 : (h[4] & 0xFF) << 8 | (h[5] & 0xFF);
    int minor = le ? (h[6] & 0xFF) | (h[7] & 0xFF) << 8 : (h[6] & 0xFF) << 8 | (h[7] & 0xFF);
    long snaplen = Bytes.i32(h, 16, le) & 0xFFFFFFFFL;
    int lt = Bytes.i32(h, 20, le);
    // LT_FCS_DATAWITH_FCS: bit 26 ("F") set means bits 28-31 give the FCS length in 16-bit words.
    int fcs = (lt & 0x04000000) != 0 ? ((lt >>> 28) & 0xF) * 2 : 0;
    return new PcapFileHeader(le, magic == MAGIC_NS, major, minor, snaplen, lt & 0x03FFFFFF, fcs);
  }

  /** libpcap accepts 2.0 to 2.4, and 543.0 (DG/UX tcpdump); it rejects everything else, e.g. 1.4. */
  boolean versionSupported() {
    return (versionMajor == 2 && versionMinor <= 4) || (versionMajor == 543 && versionMinor == 0);
  }

  CaptureInfo info(Compression compression, boolean splittable, String reason) {
    return new CaptureInfo("pcap", compression.label, littleEndian ? "LE" : "BE", nanosecond,
        (int) Math.min(snaplen, Integer.MAX_VALUE), List.of(linkType), splittable, reason);
  }
}
