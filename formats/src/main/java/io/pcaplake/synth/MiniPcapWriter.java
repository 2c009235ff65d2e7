package io.pcaplake.synth;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A minimal classic-pcap writer for the synthesizer's own use until {@code io.pcaplake.capture.PcapWriter} is in main.
 * Writes the 24-byte file header on construction and one 16-byte record header per packet.
 */
final class MiniPcapWriter implements PacketSink {
  static final int MAGIC_MICROS = 0xa1b2c3d4;
  static final int MAGIC_NANOS = 0xa1b23c4d;
  static final int FILE_HEADER = 24;
  static final int RECORD_HEADER = 16;
  static final int DEFAULT_SNAPLEN = 262_144;

  private final OutputStream out;
  private final boolean nanos;
  private final ByteBuffer header;

  MiniPcapWriter(OutputStream out, int linkType, boolean nanos, ByteOrder order) throws IOException {
    this.out = out;
    this.nanos = nanos;
    this.header = ByteBuffer.allocate(FILE_HEADER).order(order);
    header.putInt(nanos ? MAGIC_NANOS : MAGIC_MICROS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
        .putInt(DEFAULT_SNAPLEN).putInt(linkType);
    out.write(header.array(), 0, FILE_HEADER);
  }

  static MiniPcapWriter of(OutputStream out, int linkType, Format format) throws IOException {
    return switch (format) {
      case PCAP -> new MiniPcapWriter(out, linkType, false, ByteOrder.LITTLE_ENDIAN);
      case PCAP_NS -> new MiniPcapWriter(out, linkType, true, ByteOrder.LITTLE_ENDIAN);
      case PCAP_BE -> new MiniPcapWriter(out, linkType, false, ByteOrder.BIG_ENDIAN);
      case PCAPNG -> throw new IllegalArgumentException("not a classic pcap format");
    };
  }

  @Override
  public void packet(long tsNanos, byte[] frame, int off, int caplen, int origlen) throws IOException {
    long sec = Math.floorDiv(tsNanos, 1_000_000_000L);
    long frac = Math.floorMod(tsNanos, 1_000_000_000L);
    header.clear();
    header.putInt((int) sec).putInt((int) (nanos ? frac : frac / 1_000)).putInt(caplen).putInt(origlen);
    out.write(header.array(), 0, RECORD_HEADER);
    out.write(frame, off, caplen);
  }
}
