package io.pcaplake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A tiny classic-pcap writer (little-endian, microseconds, Ethernet) and frame builder, so each test states its
 * packets. Checksums are left zero: the decoder does not verify them.
 */
public final class TestCaptures {
  private TestCaptures() { }

  /** One record: timestamp in microseconds since the epoch and the frame bytes. */
  public record Frame(long tsMicros, byte[] bytes) { }

  public static void writePcap(Path file, List<Frame> frames) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      writePcap(out, frames);
    }
  }

  public static void writePcap(OutputStream out, Iterable<Frame> frames) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
    out.write(h.array());
    for (Frame f : frames) {
      ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      r.putInt((int) (f.tsMicros() / 1_000_000)).putInt((int) (f.tsMicros() % 1_000_000))
          .putInt(f.bytes().length).putInt(f.bytes().length);
      out.write(r.array());
      out.write(f.bytes());
    }
  }

  /** Ethernet + IPv4 (TTL 64) + TCP with the given flags (0x02 SYN, 0x10 ACK, 0x18 PSH|ACK). */
  public static byte[] tcp4(String src, int sport, String dst, int dport, long seq, long ack, int flags, int window,
                            byte[] payload) {
    ByteBuffer t = ByteBuffer.allocate(20 + payload.length);
    t.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack)
        .put((byte) 0x50).put((byte) flags).putShort((short) window).putShort((short) 0).putShort((short) 0)
        .put(payload);
    return ethernet(0x0800, ipv4(src, dst, 6, t.array()));
  }

  /** Ethernet + IPv4 + UDP. */
  public static byte[] udp4(String src, int sport, String dst, int dport, byte[] payload) {
    ByteBuffer u = ByteBuffer.allocate(8 + payload.length);
    u.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0)
        .put(payload);
    return ethernet(0x0800, ipv4(src, dst, 17, u.array()));
  }

  /** An ARP request (not IP). */
  public static byte[] arp() {
    byte[] body = new byte[28];
    body[1] = 1; body[2] = 8; body[4] = 6; body[5] = 4; body[7] = 1;
    return ethernet(0x0806, body);
  }

  static byte[] ipv4(String src, String dst, int protocol, byte[] l4) {
    ByteBuffer ip = ByteBuffer.allocate(20 + l4.length);
    ip.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 1).putShort((short) 0)
        .put((byte) 64).put((byte) protocol).putShort((short) 0).put(addr(src)).put(addr(dst)).put(l4);
    return ip.array();
  }

  static byte[] ethernet(int etherType, byte[] body) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1});
    b.write(etherType >> 8);
    b.write(etherType);
    b.writeBytes(body);
    return b.toByteArray();
  }

  static byte[] addr(String dotted) {
    String[] p = dotted.split("\\.");
    byte[] a = new byte[4];
    for (int i = 0; i < 4; i++) {
      a[i] = (byte) Integer.parseInt(p[i]);
    }
    return a;
  }

  /**
   * Writes a capture of about {@code targetBytes}: TCP conversations of varied payload sizes (0..1400 bytes) between
   * a few hosts, one second apart per 1000 frames. Returns the number of records.
   */
  public static long writeBulk(OutputStream out, long targetBytes) throws IOException {
    java.util.Random rnd = new java.util.Random(42);
    long[] written = {24};
    long[] count = {0};
    Iterable<Frame> frames = () -> new java.util.Iterator<>() {
      @Override public boolean hasNext() { return written[0] < targetBytes; }
      @Override public Frame next() {
        long i = count[0]++;
        byte[] payload = new byte[rnd.nextInt(1401)];
        rnd.nextBytes(payload);
        byte[] f = tcp4("10.0.0." + (1 + i % 7), 40000 + (int) (i % 13), "192.168.1.1", 80, i * 1000, 1, 0x18,
            65535, payload);
        written[0] += 16 + f.length;
        return new Frame(1_700_000_000_000_000L + i * 1000, f);
      }
    };
    writePcap(out, frames);
    return count[0];
  }
}
