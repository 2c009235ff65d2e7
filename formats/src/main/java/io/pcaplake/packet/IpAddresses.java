package io.pcaplake.packet;

/** Address text as {@code inet_ntop} (glibc) writes it: dotted IPv4, compressed lower-case IPv6. */
public final class IpAddresses {
  private IpAddresses() { }

  /** Formats 4 or 16 address bytes. */
  public static String format(byte[] a) {
    return format(a, 0, a.length);
  }

  /** Formats {@code len} (4 or 16) address bytes at {@code off}. */
  public static String format(byte[] a, int off, int len) {
    if (len == 4) {
      return (a[off] & 0xff) + "." + (a[off + 1] & 0xff) + "." + (a[off + 2] & 0xff) + "." + (a[off + 3] & 0xff);
    }
    if (len != 16) {
      throw new IllegalArgumentException("address of " + len + " bytes");
    }
    int[] w = new int[8];
    for (int i = 0; i < 8; i++) {
      w[i] = (a[off + 2 * i] & 0xff) << 8 | (a[off + 2 * i + 1] & 0xff);
    }
    // Longest run of >= 2 zero words, the first one on ties (glibc inet_ntop6).
    int bestBase = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (w[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && w[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestBase = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestLen < 2) {
      bestBase = -1;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
        if (i == bestBase) {
          sb.append(':');
        }
        continue;
      }
      if (i != 0) {
        sb.append(':');
      }
      // Embedded IPv4: ::a.b.c.d (not ::1 or ::) and ::ffff:a.b.c.d, as glibc does.
      if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 7 && w[7] != 1) || (bestLen == 5 && w[5] == 0xffff))) {
        sb.append(a[off + 12] & 0xff).append('.').append(a[off + 13] & 0xff).append('.')
            .append(a[off + 14] & 0xff).append('.').append(a[off + 15] & 0xff);
        return sb.toString();
      }
      sb.append(Integer.toHexString(w[i]));
    }
    if (bestBase >= 0 && bestBase + bestLen == 8) {
      sb.append(':');
    }
    return sb.toString();
  }
}
