package io.pcaplake.filter;

import io.pcaplake.packet.IpAddresses;

/**
 * Parses IP address literals to bytes without touching DNS ({@code InetAddress.getByName} would resolve names).
 * Methods return null for text that is not an address of that kind.
 */
final class Addresses {
  private Addresses() { }

  /** A dotted-quad IPv4 address, exactly four decimal parts 0-255. */
  static byte[] ipv4(String s) {
    byte[] b = ipv4Parts(s);
    return b != null && partCount(s) == 4 ? b : null;
  }

  /**
   * One to four dotted decimal parts, as tcpdump's {@code net 10} or {@code net 172.16}: the missing parts are 0.
   * Returns 4 bytes, or null.
   */
  static byte[] ipv4Parts(String s) {
    int parts = partCount(s);
    if (parts < 1 || parts > 4) {
      return null;
    }
    byte[] out = new byte[4];
    int p = 0;
    int value = -1;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c == '.') {
        if (value < 0) {
          return null;
        }
        out[p++] = (byte) value;
        value = -1;
      } else if (c >= '0' && c <= '9') {
        value = value < 0 ? c - '0' : value * 10 + (c - '0');
        if (value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return out;
  }

  static int partCount(String s) {
    int n = 1;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '.') {
        n++;
      }
    }
    return n;
  }

  /** An IPv6 address in RFC 4291 text form ({@code ::} compression, optional dotted IPv4 tail), no zone. */
  static byte[] ipv6(String s) {
    if (s.indexOf(':') < 0) {
      return null;
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    byte[] out = new byte[16];
    if (gap < 0) {
      return groups(s, out, 0, 16) == 16 ? out : null;
    }
    byte[] head = new byte[16];
    byte[] tail = new byte[16];
    int h = gap == 0 ? 0 : groups(s.substring(0, gap), head, 0, 16);
    String rest = s.substring(gap + 2);
    int t = rest.isEmpty() ? 0 : groups(rest, tail, 0, 16);
    if (h < 0 || t < 0 || h + t > 14) {
      return null;
    }
    System.arraycopy(head, 0, out, 0, h);
    System.arraycopy(tail, 0, out, 16 - t, t);
    return out;
  }

  /** Colon-separated hex groups (the last may be dotted IPv4) into {@code out}; returns bytes written or -1. */
  private static int groups(String s, byte[] out, int at, int limit) {
    String[] parts = s.split(":", -1);
    int p = at;
    for (int i = 0; i < parts.length; i++) {
      String g = parts[i];
      if (i == parts.length - 1 && g.indexOf('.') >= 0) {
        byte[] v4 = ipv4(g);
        if (v4 == null || p + 4 > limit) {
          return -1;
        }
        System.arraycopy(v4, 0, out, p, 4);
        p += 4;
        continue;
      }
      if (g.isEmpty() || g.length() > 4 || p + 2 > limit) {
        return -1;
      }
      int v = 0;
      for (int k = 0; k < g.length(); k++) {
        int d = Character.digit(g.charAt(k), 16);
        if (d < 0) {
          return -1;
        }
        v = v << 4 | d;
      }
      out[p++] = (byte) (v >>> 8);
      out[p++] = (byte) v;
    }
    return p - at;
  }

  /** A mask of {@code bits} leading ones over {@code length} bytes. */
  static byte[] prefixMask(int bits, int length) {
    byte[] m = new byte[length];
    for (int i = 0; i < length; i++) {
      int b = Math.max(0, Math.min(8, bits - 8 * i));
      m[i] = (byte) (0xff00 >>> b);
    }
    return m;
  }

  static String format(byte[] a) {
    return IpAddresses.format(a);
  }
}
