package io.pcaplake.tcp;

import java.util.ArrayDeque;

/**
 * The most recently delivered bytes of one direction, to compare retransmissions with: a ring indexed by stream
 * offset, growing by doubling up to a fixed capacity, so a short connection holds only what it carried.
 */
final class ByteHistory {
  private static final byte[] EMPTY = new byte[0];
  /**
   * Full-size rings of ended streams, per thread, for the next streams to grow into: a busy capture ends thousands
   * of connections a second, and growing each one's ring anew was a fifth of what the local engine allocated.
   */
  private static final ThreadLocal<ArrayDeque<byte[]>> POOL = ThreadLocal.withInitial(ArrayDeque::new);
  private static final int POOLED = 8;
  private final int capacity;
  private byte[] ring = EMPTY;
  /** Oldest retained offset (inclusive) and the offset after the newest byte. */
  private long start;
  private long end;

  ByteHistory(int maxBytes) {
    this.capacity = maxBytes == 0 ? 0 : Integer.highestOneBit(Math.max(1, maxBytes - 1)) << 1;
  }

  /** Forgets everything; the next byte expected is at {@code at} (after a gap). */
  void reset(long at) {
    start = at;
    end = at;
  }

  int retainedCapacity() {
    return ring.length;
  }

  void append(byte[] b, int off, int len, long at) {
    if (at != end) {
      reset(at);
    }
    if (capacity == 0) {
      start = end = at + len;
      return;
    }
    long want = Math.min(capacity, end - start + len);
    if (want > ring.length) {
      grow((int) want);
    }
    int n = ring.length;
    if (len >= n) {
      off += len - n;
      at += len - n;
      len = n;
    }
    int pos = (int) (at & (n - 1));
    int first = Math.min(len, n - pos);
    System.arraycopy(b, off, ring, pos, first);
    if (first < len) {
      System.arraycopy(b, off + first, ring, 0, len - first);
    }
    end = at + len;
    start = Math.max(start, end - n);
  }

  private void grow(int want) {
    int n = Math.max(256, Integer.highestOneBit(want - 1) << 1);
    n = Math.min(n, capacity);
    byte[] bigger = null;
    if (want > capacity / 8) {
      // Past an eighth of the capacity a stream usually goes on: take a pooled full-size ring if there is one.
      ArrayDeque<byte[]> pool = POOL.get();
      if (!pool.isEmpty() && pool.peekFirst().length == capacity) {
        bigger = pool.pollFirst();
        n = capacity;
      }
    }
    if (bigger == null) {
      bigger = new byte[n];
    }
    int m = ring.length;
    // Copy the retained bytes in runs contiguous in both rings (at most three).
    for (long o = start; o < end; ) {
      int from = (int) (o & (m - 1));
      int to = (int) (o & (n - 1));
      int len = (int) Math.min(end - o, Math.min(m - from, n - to));
      System.arraycopy(ring, from, bigger, to, len);
      o += len;
    }
    ring = bigger;
  }

  /**
   * The stream ended: nothing is compared any more, so a full-size ring goes to this thread's pool (its stale bytes
   * are never read: only [start, end) is, and a new owner starts empty).
   */
  void release() {
    if (capacity > 0 && ring.length == capacity) {
      ArrayDeque<byte[]> pool = POOL.get();
      if (pool.size() < POOLED) {
        pool.addFirst(ring);
      }
    }
    ring = EMPTY;
    start = end;
  }

  /** Retained bytes in [from, to) after clipping to what is held: the first and the end offset compared. */
  long comparableFrom(long from) {
    return Math.max(from, start);
  }

  long comparableTo(long to) {
    return Math.min(to, end);
  }

  /**
   * Compares {@code b[off..]} (stream offsets {@code from..to}) with the retained bytes in that range.
   *
   * @return the first differing stream offset, or -1 when the retained part is equal
   */
  long firstDifference(byte[] b, int off, long from, long to) {
    long lo = comparableFrom(from);
    long hi = comparableTo(to);
    int mask = ring.length - 1;
    for (long o = lo; o < hi; o++) {
      if (ring[(int) (o & mask)] != b[off + (int) (o - from)]) {
        return o;
      }
    }
    return -1;
  }
}
