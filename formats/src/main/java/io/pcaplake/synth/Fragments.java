package io.pcaplake.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Splits IP datagrams into fragments. Fragments come back in offset order; reorder the list with
 * {@link #shuffled} or {@link Collections#reverse} to send them out of order.
 */
public final class Fragments {
  private Fragments() { }

  static final int FRAGMENT_UNIT = 8;
  static final int IPV6_FRAGMENT_HEADER = 8;

  /**
   * Fragments an IPv4 datagram (as built by {@link Frames#ipv4}) into fragments carrying {@code fragmentSize} payload
   * bytes each (the last one the rest). DF is cleared; the first fragment keeps all options, later ones keep only
   * options with the copied bit set (RFC 791).
   *
   * @param fragmentSize payload bytes per fragment, a positive multiple of 8
   */
  public static List<byte[]> ipv4(byte[] datagram, int fragmentSize) {
    return ipv4Overlapping(datagram, fragmentSize, 0, false);
  }

  /**
   * Like {@link #ipv4}, but every fragment after the first starts {@code overlap} bytes before the previous one's end.
   * With {@code conflicting}, the repeated bytes are inverted (XOR 0xff), so first-wins and last-wins reassembly give
   * different results; in offset order the first-arriving copy is the true one.
   */
  public static List<byte[]> ipv4Overlapping(byte[] datagram, int fragmentSize, int overlap, boolean conflicting) {
    checkSizes(fragmentSize, overlap);
    int hl = (datagram[0] & 0xf) * 4;
    int total = ((datagram[2] & 0xff) << 8) | (datagram[3] & 0xff);
    int payloadLength = total - hl;
    byte[] src = java.util.Arrays.copyOfRange(datagram, 12, 16);
    byte[] dst = java.util.Arrays.copyOfRange(datagram, 16, 20);
    int id = ((datagram[4] & 0xff) << 8) | (datagram[5] & 0xff);
    int ttl = datagram[8] & 0xff;
    int protocol = datagram[9] & 0xff;
    byte[] firstOptions = java.util.Arrays.copyOfRange(datagram, Frames.IPV4_HEADER, hl);
    byte[] laterOptions = copiedOptions(firstOptions);
    List<byte[]> out = new ArrayList<>();
    for (int[] r : ranges(payloadLength, fragmentSize, overlap)) {
      int start = r[0];
      int end = r[1];
      byte[] options = start == 0 ? firstOptions : laterOptions;
      int fhl = Frames.IPV4_HEADER + options.length;
      byte[] f = new byte[fhl + end - start];
      System.arraycopy(datagram, hl + start, f, fhl, end - start);
      if (conflicting && start > 0 && overlap > 0) {
        for (int i = 0; i < overlap; i++) {
          f[fhl + i] ^= (byte) 0xff;
        }
      }
      int flags = (end < payloadLength ? Frames.IPV4_FLAG_MF : 0) | start / FRAGMENT_UNIT;
      Frames.writeIpv4Header(f, fhl, f.length, id, flags, ttl, protocol, src, dst, options, options.length);
      out.add(f);
    }
    return out;
  }

  /**
   * Builds an IPv6 packet carrying {@code upperLayer} as {@code protocol} in fragments: each is the base header, a
   * Fragment header (next header 44) and {@code fragmentSize} bytes of the upper-layer data.
   */
  public static List<byte[]> ipv6(Ipv6Header h, int protocol, byte[] upperLayer, int fragmentSize,
                                  long identification) {
    checkSizes(fragmentSize, 0);
    List<byte[]> out = new ArrayList<>();
    for (int[] r : ranges(upperLayer.length, fragmentSize, 0)) {
      int len = r[1] - r[0];
      byte[] f = new byte[Frames.IPV6_HEADER + IPV6_FRAGMENT_HEADER + len];
      Frames.writeIpv6Header(f, h.withDestinationOptions(false), IPV6_FRAGMENT_HEADER + len,
          Frames.PROTO_IPV6_FRAGMENT);
      int p = Frames.IPV6_HEADER;
      f[p] = (byte) protocol;
      Checksums.put16(f, p + 2, r[0] | (r[1] < upperLayer.length ? 1 : 0));
      Checksums.put32(f, p + 4, identification);
      System.arraycopy(upperLayer, r[0], f, p + IPV6_FRAGMENT_HEADER, len);
      out.add(f);
    }
    return out;
  }

  /** A copy of the list in a seeded random order. */
  public static List<byte[]> shuffled(List<byte[]> fragments, long seed) {
    List<byte[]> copy = new ArrayList<>(fragments);
    Collections.shuffle(copy, new Random(seed));
    return copy;
  }

  private static void checkSizes(int fragmentSize, int overlap) {
    if (fragmentSize <= 0 || fragmentSize % FRAGMENT_UNIT != 0) {
      throw new IllegalArgumentException("fragment size " + fragmentSize + " is not a positive multiple of 8");
    }
    if (overlap < 0 || overlap % FRAGMENT_UNIT != 0 || overlap >= fragmentSize) {
      throw new IllegalArgumentException("overlap " + overlap + " must be a multiple of 8 below the fragment size");
    }
  }

  /** [start, end) payload ranges: the first at 0, each next starting {@code overlap} before the previous end. */
  private static List<int[]> ranges(int length, int size, int overlap) {
    List<int[]> out = new ArrayList<>();
    int start = 0;
    while (true) {
      int end = Math.min(length, start + size);
      out.add(new int[] {start, end});
      if (end >= length) {
        return out;
      }
      start = end - overlap;
    }
  }

  private static byte[] copiedOptions(byte[] options) {
    java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
    int i = 0;
    while (i < options.length) {
      int type = options[i] & 0xff;
      if (type == TcpOptions.KIND_EOL) {
        break;
      }
      int len = type == TcpOptions.KIND_NOP ? 1 : Math.max(2, options[Math.min(i + 1, options.length - 1)] & 0xff);
      if ((type & 0x80) != 0) {
        kept.write(options, i, Math.min(len, options.length - i));
      }
      i += len;
    }
    int padded = (kept.size() + 3) / 4 * 4;
    return java.util.Arrays.copyOf(kept.toByteArray(), padded);
  }
}
