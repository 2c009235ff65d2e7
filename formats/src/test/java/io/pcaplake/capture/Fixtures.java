package io.pcaplake.capture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Builds test captures whose payloads include bytes that look like record headers (adversarial for resync). */
final class Fixtures {
  static final long T0 = 1_700_000_000_000_000_000L;

  private Fixtures() { }

  /** A frame whose payload embeds a plausible pcap record header (and sometimes a pcapng EPB header). */
  static byte[] frame(Random rnd, int len, ByteOrder order, long tsNanos) {
    byte[] f = new byte[len];
    rnd.nextBytes(f);
    if (len > 48 && rnd.nextInt(3) == 0) {
      ByteBuffer b = ByteBuffer.wrap(f).order(order);
      int at = 8 + rnd.nextInt(len - 40);
      int fake = rnd.nextInt(Math.max(1, len - at));
      b.putInt(at, (int) (tsNanos / 1_000_000_000L)).putInt(at + 4, rnd.nextInt(1_000_000))
          .putInt(at + 8, fake).putInt(at + 12, fake);
    }
    if (len >= 64 && rnd.nextInt(4) == 0) {
      ByteBuffer b = ByteBuffer.wrap(f).order(order);
      int at = 4 * (1 + rnd.nextInt((len - 40) / 4));
      b.putInt(at, PcapngBlocks.EPB).putInt(at + 4, 32);
    }
    if (rnd.nextInt(10) == 0) {
      java.util.Arrays.fill(f, 0, Math.min(len, 32), (byte) 0);
    }
    return f;
  }

  static int size(Random rnd) {
    int k = rnd.nextInt(10);
    return k < 5 ? 40 + rnd.nextInt(80) : k < 9 ? 60 + rnd.nextInt(1460) : 1 + rnd.nextInt(40);
  }

  static byte[] pcap(int records, long seed, ByteOrder order, boolean ns) throws IOException {
    Random rnd = new Random(seed);
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(bos, order, ns, 65535, 1)) {
      long ts = T0;
      for (int i = 0; i < records; i++) {
        ts += rnd.nextInt(2_000_000);
        int len = size(rnd);
        byte[] f = frame(rnd, len, order, ts);
        w.write(ts, f, 0, len, len + rnd.nextInt(2) * rnd.nextInt(100));
      }
    }
    return bos.toByteArray();
  }

  static byte[] pcapng(int records, long seed) throws IOException {
    Random rnd = new Random(seed);
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (PcapngWriter w = new PcapngWriter(bos, ByteOrder.LITTLE_ENDIAN)) {
      w.addInterface(1, 65535, 9, 0, -1);
      w.addInterface(0, 65535, 6, 0, -1);
      long ts = T0;
      ByteOrder order = ByteOrder.LITTLE_ENDIAN;
      for (int i = 0; i < records; i++) {
        ts += rnd.nextInt(2_000_000_000);
        int len = size(rnd);
        byte[] f = frame(rnd, len, order, ts);
        int kind = rnd.nextInt(20);
        if (kind == 0) {
          w.writeCustomBlock(32473, f);
        } else if (kind == 1) {
          w.writeIsb(0, ts);
        } else if (kind == 2 && i > records / 2) {
          order = rnd.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
          w.newSection(order);
          w.addInterface(1, 65535, 6, 0, -1);
        } else if (kind == 3) {
          w.writeSpb(f, 0, len);
        } else {
          w.writeEpb(rnd.nextInt(order == ByteOrder.LITTLE_ENDIAN && i <= records / 2 ? 2 : 1), ts, f, 0, len, len);
        }
      }
    }
    return bos.toByteArray();
  }
}
