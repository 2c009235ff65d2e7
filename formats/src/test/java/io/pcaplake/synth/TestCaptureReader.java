package io.pcaplake.synth;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the capture files the synthesizer writes, straight from the format specs, for round-trip tests. */
final class TestCaptureReader {
  private TestCaptureReader() { }

  static List<SynthPacket> read(byte[] file) {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int magic = b.getInt(0);
    return magic == 0x0a0d0d0a ? pcapng(b) : pcap(b);
  }

  private static List<SynthPacket> pcap(ByteBuffer b) {
    int magic = b.getInt(0);
    if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
      b.order(ByteOrder.BIG_ENDIAN);
      magic = b.getInt(0);
    }
    boolean nanos = magic == 0xa1b23c4d;
    if (!nanos && magic != 0xa1b2c3d4) {
      throw new AssertionError("bad magic " + Integer.toHexString(magic));
    }
    int linkType = b.getInt(20);
    List<SynthPacket> out = new ArrayList<>();
    int p = 24;
    while (p < b.limit()) {
      long sec = b.getInt(p) & 0xffffffffL;
      long frac = b.getInt(p + 4) & 0xffffffffL;
      int caplen = b.getInt(p + 8);
      int origlen = b.getInt(p + 12);
      byte[] f = new byte[caplen];
      b.get(p + 16, f);
      out.add(new SynthPacket(sec * 1_000_000_000L + (nanos ? frac : frac * 1000), linkType, f, origlen));
      p += 16 + caplen;
    }
    if (p != b.limit()) {
      throw new AssertionError("trailing bytes");
    }
    return out;
  }

  private static List<SynthPacket> pcapng(ByteBuffer b) {
    List<SynthPacket> out = new ArrayList<>();
    Map<Integer, Integer> linkTypes = new HashMap<>();
    int p = 0;
    while (p < b.limit()) {
      int type = b.getInt(p);
      int len = b.getInt(p + 4);
      if (b.getInt(p + len - 4) != len) {
        throw new AssertionError("block length trailer mismatch at " + p);
      }
      if (type == 1) {
        linkTypes.put(linkTypes.size(), b.getShort(p + 8) & 0xffff);
        if (b.getShort(p + 16) != 9 || b.get(p + 20) != 9) {
          throw new AssertionError("expected if_tsresol 9");
        }
      } else if (type == 6) {
        int iface = b.getInt(p + 8);
        long ts = (b.getInt(p + 12) & 0xffffffffL) << 32 | (b.getInt(p + 16) & 0xffffffffL);
        int caplen = b.getInt(p + 20);
        byte[] f = new byte[caplen];
        b.get(p + 28, f);
        out.add(new SynthPacket(ts, linkTypes.get(iface), f, b.getInt(p + 24)));
      } else if (type != 0x0a0d0d0a) {
        throw new AssertionError("unexpected block " + type);
      }
      p += len;
    }
    return out;
  }
}
