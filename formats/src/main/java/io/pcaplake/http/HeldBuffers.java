package io.pcaplake.http;

import java.util.ArrayDeque;

/**
 * Per-thread pool of the byte arrays gzip bodies are held in before their one-shot decode ({@link BodyDecoder}):
 * power-of-two sizes from 16 KiB to {@link FastInflate#MAX_INPUT}, a few of each. Without it, holding every gzip body
 * of a 1 GB capture in fresh, doubling arrays doubled the collector's work and ate the faster decode's gain.
 */
final class HeldBuffers {
  private static final int MIN_SHIFT = 14;
  private static final int CLASSES = Integer.numberOfTrailingZeros(FastInflate.MAX_INPUT) - MIN_SHIFT + 1;
  /**
   * Arrays kept per size class and thread: 8 of each size up to 128 KiB (bodies in flight on many connections at
   * once), 2 above; at most about 10 MiB idle per thread.
   */
  private static final int KEPT_SMALL = 8;
  private static final int KEPT_LARGE = 2;
  private static final int SMALL_CLASSES = 4;
  @SuppressWarnings("unchecked")
  private static final ThreadLocal<ArrayDeque<byte[]>[]> POOL = ThreadLocal.withInitial(() -> {
    ArrayDeque<byte[]>[] p = new ArrayDeque[CLASSES];
    for (int i = 0; i < CLASSES; i++) {
      p[i] = new ArrayDeque<>(i < SMALL_CLASSES ? KEPT_SMALL : KEPT_LARGE);
    }
    return p;
  });

  private HeldBuffers() { }

  /** An array of at least {@code min} bytes (at most {@link FastInflate#MAX_INPUT}), contents undefined. */
  static byte[] take(int min) {
    int c = sizeClass(min);
    byte[] b = POOL.get()[c].pollLast();
    return b != null ? b : new byte[1 << (c + MIN_SHIFT)];
  }

  /** Returns an array from {@link #take} for reuse on this thread. */
  static void give(byte[] b) {
    int c = Integer.numberOfTrailingZeros(b.length) - MIN_SHIFT;
    if (c >= 0 && c < CLASSES && Integer.bitCount(b.length) == 1) {
      ArrayDeque<byte[]> q = POOL.get()[c];
      if (q.size() < (c < SMALL_CLASSES ? KEPT_SMALL : KEPT_LARGE)) {
        q.addLast(b);
      }
    }
  }

  private static int sizeClass(int min) {
    int shift = Math.max(MIN_SHIFT, 32 - Integer.numberOfLeadingZeros(Math.max(1, min) - 1));
    return Math.min(shift, MIN_SHIFT + CLASSES - 1) - MIN_SHIFT;
  }
}
