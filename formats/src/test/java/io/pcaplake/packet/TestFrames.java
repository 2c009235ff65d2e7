package io.pcaplake.packet;

import java.io.ByteArrayOutputStream;

/** Tiny frame builder for decoder tests: every test states its bytes. Checksums are left 0 (the decoder ignores them). */
final class TestFrames {
  static final byte[] SRC4 = {10, 0, 0, 1};
  static final byte[] DST4 = {10, 0, 0, 2};
  static final byte[] SRC6 = ip6(0x20010db8, 1);
  static final byte[] DST6 = ip6(0x20010db8, 2);

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static TestFrames of() {
    return new TestFrames();
  }

  TestFrames u8(int v) {
    out.write(v);
    return this;
  }

  TestFrames u16(int v) {
    return u8(v >>> 8).u8(v);
  }

  TestFrames u32(long v) {
    return u16((int) (v >>> 16) & 0xffff).u16((int) v & 0xffff);
  }

  TestFrames bytes(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  TestFrames zeros(int n) {
    return bytes(new byte[n]);
  }

  byte[] build() {
    return out.toByteArray();
  }

  static byte[] ip6(int prefix, int last) {
    return of().u32(prefix & 0xffffffffL).u32(0).u32(0).u32(last).build();
  }

  static byte[] tcp(int srcPort, int dstPort, long seq, long ack, int flags, byte[] options, byte[] payload) {
    int dataOffset = (20 + options.length) / 4;
    return of().u16(srcPort).u16(dstPort).u32(seq).u32(ack).u8(dataOffset << 4 | (flags >>> 8 & 1)).u8(flags & 0xff)
        .u16(65535).u16(0).u16(0).bytes(options).bytes(payload).build();
  }

  static byte[] udp(int srcPort, int dstPort, byte[] payload) {
    return of().u16(srcPort).u16(dstPort).u16(8 + payload.length).u16(0).bytes(payload).build();
  }

  /** IPv4 with the given options (a multiple of 4 bytes), id and flags/fragment-offset field. */
  static byte[] ipv4(int protocol, byte[] options, int id, int flagsOffset, byte[] payload) {
    int ihl = 5 + options.length / 4;
    return of().u8(0x40 | ihl).u8(0).u16(ihl * 4 + payload.length).u16(id).u16(flagsOffset).u8(64).u8(protocol)
        .u16(0).bytes(SRC4).bytes(DST4).bytes(options).bytes(payload).build();
  }

  static byte[] ipv4(int protocol, byte[] payload) {
    return ipv4(protocol, new byte[0], 1, 0, payload);
  }

  /** IPv6; {@code extensions} already chained, {@code next} is the first next-header value. */
  static byte[] ipv6(int next, byte[] extensions, byte[] payload) {
    return of().u32(0x60000000L).u16(extensions.length + payload.length).u8(next).u8(63).bytes(SRC6).bytes(DST6)
        .bytes(extensions).bytes(payload).build();
  }

  static byte[] ethernet(int etherType, byte[] payload) {
    return of().bytes(new byte[] {0, 1, 2, 3, 4, 5}).bytes(new byte[] {6, 7, 8, 9, 10, 11}).u16(etherType)
        .bytes(payload).build();
  }

  /** Ethernet with VLAN tags: {@code tags} holds (TPID, VLAN id) pairs, outermost first. */
  static byte[] ethernetVlan(int[] tags, int etherType, byte[] payload) {
    TestFrames f = of().zeros(12);
    for (int i = 0; i < tags.length; i += 2) {
      f.u16(tags[i]).u16(tags[i + 1]);
    }
    return f.u16(etherType).bytes(payload).build();
  }

  static byte[] concat(byte[]... parts) {
    TestFrames f = of();
    for (byte[] p : parts) {
      f.bytes(p);
    }
    return f.build();
  }
}
