package io.pcaplake.capture;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Reads the first bytes of a source: compression by magic, then the container format by the decompressed magic. */
final class Sniffer {
  static final int HEAD = 32;

  enum Format { PCAP, PCAPNG, UNKNOWN, EMPTY }

  /** What the first bytes say. {@code head} holds up to {@link #HEAD} decompressed bytes. */
  record Sniff(Compression compression, Format format, byte[] head, int headLength, String problem) { }

  private Sniffer() { }

  static Sniff sniff(ByteSource source, ProblemSink problems) throws IOException {
    byte[] raw = new byte[4];
    int rawN;
    try (InputStream in = source.openAt(0)) {
      rawN = in.readNBytes(raw, 0, raw.length);
    }
    if (rawN == 0) {
      return new Sniff(Compression.NONE, Format.EMPTY, new byte[0], 0, null);
    }
    Compression compression = Compression.detect(raw, rawN);
    byte[] head = new byte[HEAD];
    int n;
    String problem = null;
    try (InputStream in = compression.decompress(source.openAt(0))) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      if (compression == Compression.NONE) {
        throw e;
      }
      problem = e.getMessage();
      n = 0;
    }
    return new Sniff(compression, formatOf(head, n), head, n, problem);
  }

  static Format formatOf(byte[] head, int n) {
    if (n == 0) {
      return Format.EMPTY;
    }
    if (n >= 4 && PcapFileHeader.isMagic(Bytes.i32(head, 0, false))) {
      return Format.PCAP;
    }
    if (n >= 4 && Bytes.i32(head, 0, false) == PcapngBlocks.SHB) {
      return Format.PCAPNG;
    }
    return Format.UNKNOWN;
  }

  static CaptureInfo info(Sniff s) {
    boolean splittable = s.compression() == Compression.NONE;
    String reason = s.compression().unsplittableReason();
    return switch (s.format()) {
      case PCAP -> {
        PcapFileHeader h = s.headLength() >= PcapFileHeader.LENGTH ? PcapFileHeader.parse(s.head()) : null;
        yield h == null
            ? new CaptureInfo("pcap", s.compression().label, PcapFileHeader.byteOrderOf(s.head()), false, 0, List.of(),
                splittable, reason)
            : h.info(s.compression(), splittable, reason);
      }
      case PCAPNG -> new CaptureInfo("pcapng", s.compression().label,
          s.headLength() >= 12 && Bytes.i32(s.head(), 8, true) == PcapngBlocks.BYTE_ORDER_MAGIC ? "LE" : "BE",
          false, 0, List.of(), splittable, reason);
      default -> new CaptureInfo("unknown", s.compression().label, "LE", false, 0, List.of(), splittable, reason);
    };
  }
}
