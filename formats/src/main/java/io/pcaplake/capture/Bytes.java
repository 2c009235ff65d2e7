package io.pcaplake.capture;

/** Little helpers for fixed-width integers in either byte order. */
final class Bytes {
  private Bytes() { }

  static int i32(byte[] b, int i, boolean le) {
    return le
        ? (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24
        : (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
  }
}
