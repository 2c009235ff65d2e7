package io.pcaplake.packet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A minimal classic-pcap/pcapng record lister for packet tests over the shared captures, until the capture readers
 * ({@code io.pcaplake.capture.Captures}) are merged into this branch. No resync, no split handling: it stops at the
 * first implausible record, which is fine for an oracle comparison (the same records go to both decoders).
 */
final class TestCaptureFiles {
  private TestCaptureFiles() { }

  record Rec(byte[] data, int offset, int caplen, int origlen, int linkType, long tsNanos, long recordOffset) { }

  static List<Rec> read(Path path) throws IOException {
    byte[] bytes = Files.readAllBytes(path);
    if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        bytes = in.readAllBytes();
      }
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (bytes.length < 24) {
      return List.of();
    }
    int magicLe = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    if (magicLe == 0x0A0D0D0A) {
      return pcapng(b);
    }
    return classic(b);
  }

  private static List<Rec> classic(ByteBuffer b) {
    List<Rec> out = new ArrayList<>();
    int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
      b.order(ByteOrder.LITTLE_ENDIAN);
    } else {
      b.order(ByteOrder.BIG_ENDIAN);
      magic = b.getInt(0);
      if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
        return out;
      }
    }
    boolean nanos = magic == 0xa1b23c4d;
    int linkType = b.getInt(20) & 0x03ffffff;
    int pos = 24;
    while (pos + 16 <= b.limit()) {
      long sec = b.getInt(pos) & 0xffffffffL;
      long frac = b.getInt(pos + 4) & 0xffffffffL;
      int caplen = b.getInt(pos + 8);
      int origlen = b.getInt(pos + 12);
      if (caplen < 0 || caplen > 262144 || pos + 16 + caplen > b.limit()) {
        break;
      }
      out.add(new Rec(b.array(), pos + 16, caplen, origlen, linkType, sec * 1_000_000_000L + (nanos ? frac : frac * 1000),
          pos));
      pos += 16 + caplen;
    }
    return out;
  }

  private static List<Rec> pcapng(ByteBuffer b) {
    List<Rec> out = new ArrayList<>();
    List<Integer> linkTypes = new ArrayList<>();
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    int pos = 0;
    while (pos + 12 <= b.limit()) {
      if (b.order(ByteOrder.LITTLE_ENDIAN).getInt(pos) == 0x0A0D0D0A) { // SHB: same bytes in both orders
        order = b.getInt(pos + 8) == 0x1A2B3C4D ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        linkTypes.clear(); // interface ids restart per section
      }
      b.order(order);
      int type = b.getInt(pos);
      int length = b.getInt(pos + 4);
      if (length < 12 || pos + length > b.limit()) {
        break;
      }
      if (type == 1) {
        linkTypes.add(b.getShort(pos + 8) & 0xffff);
      } else if (type == 6) {
        int iface = b.getInt(pos + 8);
        int caplen = b.getInt(pos + 20);
        int origlen = b.getInt(pos + 24);
        if (iface < linkTypes.size() && caplen >= 0 && 28 + caplen <= length) {
          out.add(new Rec(b.array(), pos + 28, caplen, origlen, linkTypes.get(iface), 0L, pos));
        }
      } else if (type == 3 && !linkTypes.isEmpty()) {
        int origlen = b.getInt(pos + 8);
        out.add(new Rec(b.array(), pos + 12, Math.min(origlen, length - 16), origlen, linkTypes.get(0), 0L, pos));
      }
      pos += length;
    }
    return out;
  }
}
