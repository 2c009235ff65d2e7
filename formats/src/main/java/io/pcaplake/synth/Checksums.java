package io.pcaplake.synth;

import java.net.InetAddress;

/** The Internet checksum (RFC 1071): 16-bit big-endian word sums, folded and complemented. */
final class Checksums {
  private Checksums() { }

  /** Unfolded sum of big-endian 16-bit words; an odd last byte is padded with zero. */
  static long sum(byte[] b, int off, int len) {
    long s = 0;
    int i = off;
    int end = off + len;
    for (; i + 1 < end; i += 2) {
      s += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
    if (i < end) {
      s += (b[i] & 0xff) << 8;
    }
    return s;
  }

  /** Folds a sum to 16 bits and complements it. */
  static int finish(long s) {
    while ((s >>> 16) != 0) {
      s = (s & 0xffff) + (s >>> 16);
    }
    return (int) (~s & 0xffff);
  }

  /** Sum of the TCP/UDP pseudo-header (IPv4 or IPv6 form, chosen by the address family). */
  static long pseudoHeader(InetAddress src, InetAddress dst, int protocol, int upperLength) {
    byte[] s = src.getAddress();
    byte[] d = dst.getAddress();
    return sum(s, 0, s.length) + sum(d, 0, d.length) + protocol + (upperLength & 0xffff) + (upperLength >>> 16);
  }

  static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  static void put32(byte[] b, int off, long v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  static void putMac(byte[] b, int off, long mac) {
    for (int i = 0; i < 6; i++) {
      b[off + i] = (byte) (mac >>> (40 - 8 * i));
    }
  }
}
