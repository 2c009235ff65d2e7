package io.pcaplake.synth;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A fixed block of payload bytes (HTTP-like text and random bytes) with prefix sums of its 16-bit words, so the
 * checksum contribution of any slice starting at an even offset costs O(1).
 */
final class PayloadPool {
  static final int SIZE = 1 << 20;

  final byte[] bytes = new byte[SIZE];
  private final long[] prefix = new long[SIZE / 2 + 1];

  PayloadPool(long seed) {
    Random rnd = new Random(seed);
    byte[] text = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n"
        + "{\"transactions\":[{\"id\":\"tx_123456\",\"amount\":12.5,\"currency\":\"EUR\"}]}")
        .getBytes(StandardCharsets.US_ASCII);
    for (int p = 0; p < SIZE; ) {
      if (rnd.nextBoolean()) {
        int n = Math.min(text.length, SIZE - p);
        System.arraycopy(text, 0, bytes, p, n);
        p += n;
      } else {
        int n = Math.min(4096, SIZE - p);
        for (int i = 0; i < n; i++) {
          bytes[p + i] = (byte) rnd.nextInt();
        }
        p += n;
      }
    }
    for (int w = 0; w < SIZE / 2; w++) {
      prefix[w + 1] = prefix[w] + (((bytes[2 * w] & 0xff) << 8) | (bytes[2 * w + 1] & 0xff));
    }
  }

  /** Unfolded checksum sum of {@code bytes[off, off + len)}; {@code off} must be even. */
  long sum(int off, int len) {
    int w0 = off >>> 1;
    long s = prefix[w0 + (len >>> 1)] - prefix[w0];
    if ((len & 1) != 0) {
      s += (bytes[off + len - 1] & 0xff) << 8;
    }
    return s;
  }
}
