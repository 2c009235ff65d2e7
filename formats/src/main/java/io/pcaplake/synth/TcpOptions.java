package io.pcaplake.synth;

/**
 * TCP options to put on a segment. Encoded in Linux's layout: MSS, SACK-permitted + timestamps, NOP + window scale,
 * NOP padding, always a multiple of 4 bytes.
 *
 * @param mss maximum segment size, or -1 for none
 * @param windowScale shift count 0..14, or -1 for none
 * @param sackPermitted whether to put SACK-permitted
 * @param timestamps whether to put the timestamps option with {@code tsVal}/{@code tsEcr}
 */
public record TcpOptions(int mss, int windowScale, boolean sackPermitted, boolean timestamps, long tsVal,
                         long tsEcr) {
  public static final TcpOptions NONE = new TcpOptions(-1, -1, false, false, 0, 0);
  static final int KIND_EOL = 0;
  static final int KIND_NOP = 1;
  static final int KIND_MSS = 2;
  static final int KIND_WSCALE = 3;
  static final int KIND_SACK_PERMITTED = 4;
  static final int KIND_TIMESTAMPS = 8;

  public TcpOptions {
    if (mss > 0xffff || windowScale > 14) {
      throw new IllegalArgumentException("mss " + mss + " wscale " + windowScale);
    }
  }

  /** The options a Linux client puts on its SYN. */
  public static TcpOptions syn(int mss, int windowScale, long tsVal) {
    return new TcpOptions(mss, windowScale, true, true, tsVal, 0);
  }

  /** Only the timestamps option, as on every segment after a handshake that negotiated it. */
  public static TcpOptions timestamps(long tsVal, long tsEcr) {
    return new TcpOptions(-1, -1, false, true, tsVal, tsEcr);
  }

  int length() {
    int n = 0;
    if (mss >= 0) {
      n += 4;
    }
    if (sackPermitted || timestamps) {
      n += timestamps ? 12 : 4;
    }
    if (windowScale >= 0) {
      n += 4;
    }
    return n;
  }

  void write(byte[] b, int off) {
    int p = off;
    if (mss >= 0) {
      b[p++] = KIND_MSS;
      b[p++] = 4;
      Checksums.put16(b, p, mss);
      p += 2;
    }
    if (timestamps) {
      if (sackPermitted) {
        b[p++] = KIND_SACK_PERMITTED;
        b[p++] = 2;
      } else {
        b[p++] = KIND_NOP;
        b[p++] = KIND_NOP;
      }
      b[p++] = KIND_TIMESTAMPS;
      b[p++] = 10;
      Checksums.put32(b, p, tsVal);
      Checksums.put32(b, p + 4, tsEcr);
      p += 8;
    } else if (sackPermitted) {
      b[p++] = KIND_NOP;
      b[p++] = KIND_NOP;
      b[p++] = KIND_SACK_PERMITTED;
      b[p++] = 2;
    }
    if (windowScale >= 0) {
      b[p++] = KIND_NOP;
      b[p++] = KIND_WSCALE;
      b[p++] = 3;
      b[p++] = (byte) windowScale;
    }
  }
}
