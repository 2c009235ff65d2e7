package io.pcaplake.synth;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A minimal little-endian pcapng writer for the synthesizer's own use until {@code io.pcaplake.capture.PcapngWriter}
 * is in main: a Section Header Block, an Interface Description Block per link type on first use (if_tsresol = 9,
 * nanoseconds), and Enhanced Packet Blocks.
 */
final class MiniPcapngWriter {
  static final int BLOCK_SHB = 0x0a0d0d0a;
  static final int BLOCK_IDB = 1;
  static final int BLOCK_EPB = 6;
  static final int BYTE_ORDER_MAGIC = 0x1a2b3c4d;
  static final int OPT_IF_TSRESOL = 9;
  static final int TSRESOL_NANOS = 9;
  static final int SNAPLEN = 262_144;

  private static final byte[] PAD = new byte[3];

  private final OutputStream out;
  private final Map<Integer, Integer> interfaces = new LinkedHashMap<>();

  MiniPcapngWriter(OutputStream out) throws IOException {
    this.out = out;
    ByteBuffer b = block(28);
    b.putInt(BLOCK_SHB).putInt(28).putInt(BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0)
        .putLong(-1L).putInt(28);
    out.write(b.array());
  }

  void packet(int linkType, long tsNanos, byte[] frame, int off, int caplen, int origlen) throws IOException {
    Integer id = interfaces.get(linkType);
    if (id == null) {
      id = interfaces.size();
      interfaces.put(linkType, id);
      int len = 20 + 8 + 4;
      ByteBuffer b = block(len);
      b.putInt(BLOCK_IDB).putInt(len).putShort((short) linkType).putShort((short) 0).putInt(SNAPLEN)
          .putShort((short) OPT_IF_TSRESOL).putShort((short) 1).put((byte) TSRESOL_NANOS).put(new byte[3])
          .putInt(0).putInt(len);
      out.write(b.array());
    }
    int padded = (caplen + 3) & ~3;
    int len = 32 + padded;
    ByteBuffer h = block(28);
    h.putInt(BLOCK_EPB).putInt(len).putInt(id).putInt((int) (tsNanos >>> 32)).putInt((int) tsNanos).putInt(caplen)
        .putInt(origlen);
    out.write(h.array());
    out.write(frame, off, caplen);
    out.write(PAD, 0, padded - caplen);
    out.write(block(4).putInt(len).array());
  }

  private static ByteBuffer block(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }
}
