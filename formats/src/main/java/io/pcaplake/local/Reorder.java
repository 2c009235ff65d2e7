package io.pcaplake.local;

import io.pcaplake.flow.FlowSegment;
import java.util.function.Consumer;

/**
 * Puts segments back in capture-time order across a window of batches: records out of time order inside a file (a
 * capture written by several threads, a merged trace) reach the flow table by (ts, capture file, record offset), as
 * the Spark engine sorts each key's segments. Each batch is sorted together with the segments held back from the
 * previous batch, and its last {@link #HOLD} segments in that order are held back for the next one; the previous
 * batch is then done and can be reused. So a record may come up to about {@link #HOLD} segments (of its worker)
 * later than its time says and still be put in its place; beyond that it is taken where it is.
 */
final class Reorder {
  static final int HOLD = 1024;
  private SegmentBatch prev;
  private int[] held = new int[HOLD];
  private int heldCount;
  private int[] order = new int[SegmentBatch.MAX_SEGMENTS + HOLD];
  private int[] scratch = new int[SegmentBatch.MAX_SEGMENTS + HOLD];
  private final FlowSegment segment = new FlowSegment();

  /**
   * Emits, in order, the held segments and those of {@code b} that are due (all of them when {@code b} is the
   * last); returns the batch that is now done with (the previous one), or null.
   */
  SegmentBatch accept(SegmentBatch b, Consumer<FlowSegment> out) {
    int n = heldCount + b.size;
    if (order.length < n) {
      order = new int[n];
      scratch = new int[n];
    }
    // Element i < heldCount is prev's held[i]; element heldCount + j is b's j.
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (!sorted(b, n)) {
      sort(b, 0, n);
    }
    int emitTo = b.last ? n : Math.max(0, n - HOLD);
    for (int i = emitTo; i < n; i++) {
      if (order[i] < heldCount) {
        emitTo = i + 1;  // an element of prev still ranks late: emit up to it, prev is done after this
      }
    }
    for (int i = 0; i < emitTo; i++) {
      int e = order[i];
      out.accept(e < heldCount ? prev.load(held[e], segment) : b.load(e - heldCount, segment));
    }
    int k = 0;
    for (int i = emitTo; i < n; i++) {
      held[k++] = order[i] - heldCount;
    }
    heldCount = k;
    SegmentBatch done = prev;
    prev = b.last ? null : b;
    return done;
  }

  private int cmp(SegmentBatch b, int x, int y) {
    SegmentBatch bx = x < heldCount ? prev : b;
    int ix = x < heldCount ? held[x] : x - heldCount;
    SegmentBatch by = y < heldCount ? prev : b;
    int iy = y < heldCount ? held[y] : y - heldCount;
    int c = Long.compare(bx.ts[ix], by.ts[iy]);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(bx.file[ix], by.file[iy]);
    if (c != 0) {
      return c;
    }
    return Long.compare(bx.offset[ix], by.offset[iy]);
  }

  private boolean sorted(SegmentBatch b, int n) {
    for (int i = 1; i < n; i++) {
      if (cmp(b, i - 1, i) > 0) {
        return false;
      }
    }
    return true;
  }

  /** Stable merge sort of order[lo, hi). */
  private void sort(SegmentBatch b, int lo, int hi) {
    if (hi - lo < 2) {
      return;
    }
    int mid = (lo + hi) >>> 1;
    sort(b, lo, mid);
    sort(b, mid, hi);
    if (cmp(b, order[mid - 1], order[mid]) <= 0) {
      return;
    }
    int i = lo;
    int j = mid;
    int k = lo;
    while (i < mid && j < hi) {
      scratch[k++] = cmp(b, order[j], order[i]) < 0 ? order[j++] : order[i++];
    }
    while (i < mid) {
      scratch[k++] = order[i++];
    }
    while (j < hi) {
      scratch[k++] = order[j++];
    }
    System.arraycopy(scratch, lo, order, lo, hi - lo);
  }
}
