package io.pcaplake.tcp;

import java.util.Map;
import java.util.TreeMap;

/**
 * One direction of a connection: maps sequence numbers to 64-bit stream offsets, delivers bytes in order, holds
 * out-of-order pieces (bounded), keeps the first copy of every byte, and declares gaps.
 *
 * <p>Invariant: every held piece starts above {@link #next} and pieces never overlap; a piece either holds bytes or
 * marks a known-missing range (the snaplen-cut part of a segment).
 */
final class HalfStream {
  static final long MASK = 0xffffffffL;

  /** A held out-of-order piece; {@code data == null} marks bytes known to be missing. */
  static final class Piece {
    final long off;
    final int len;
    final byte[] data;
    final long ts;

    Piece(long off, int len, byte[] data, long ts) {
      this.off = off;
      this.len = len;
      this.data = data;
      this.ts = ts;
    }

    long end() {
      return off + len;
    }
  }

  private final Connection conn;
  final boolean isA;
  private final TcpLimits limits;
  private final ByteHistory recent;

  boolean baseKnown;
  /** Sequence number of stream offset -1 (the SYN's, or one before the first seen). */
  long isn;
  boolean synSeen;
  /** Next stream offset to deliver. */
  long next;
  /** Stream offset of this side's FIN, or -1. */
  long finOffset = -1;
  boolean finSeen;
  boolean rstSeen;
  int windowScale = -1;
  int endpointState;
  /** Highest plausible offset the peer acknowledged, or -1. */
  long ackedOffset = -1;

  private TreeMap<Long, Piece> held;
  private long heldBytes;
  private long oldestHeldTs = Long.MAX_VALUE;
  private boolean oldestDirty;

  long packets;
  long bytes;
  long missing;
  long retransmitted;
  long outOfOrder;
  long conflicts;
  /** Payload bytes (wire length) of every segment this side sent: the left side of the accounting identity. */
  long seen;
  /** Captured bytes of overlap ranges that differed from the first copy (whole compared range). */
  long conflicting;
  /** Payload bytes thrown away before placement: after the FIN, before the start, beyond a seq jump, on a RST. */
  long dropped;
  /** Payload bytes the record did not hold (snaplen cut), whether new (then missing) or already covered. */
  long uncaptured;
  boolean warnedTruncated;
  boolean warnedAfterFin;
  boolean warnedAfterRst;
  boolean warnedBeforeStart;

  // Per-segment scratch, reset by data().
  private long segRetransmitted;
  private boolean segHeld;
  private long conflictFrom;
  private long conflictBytes;

  HalfStream(Connection conn, boolean isA, TcpLimits limits) {
    this.conn = conn;
    this.isA = isA;
    this.limits = limits;
    this.recent = new ByteHistory(limits.compareBytes());
  }

  /** Stream offset of a sequence number: the 64-bit value nearest to {@link #next} (handles wrap, &gt; 4 GiB). */
  long toOffset(long seq) {
    long rel = (seq - isn - 1) & MASK;
    return next + (int) (rel - (next & MASK));
  }

  long heldBytes() {
    return heldBytes;
  }

  int heldPieces() {
    return held == null ? 0 : held.size();
  }

  int retainedCapacity() {
    return recent.retainedCapacity();
  }

  /** The peer acknowledged up to {@code ack} (its ACK field). */
  void onAck(long ack) {
    long off = toOffset(ack);
    if (off > ackedOffset && off <= next + limits.maxSeqJump()) {
      ackedOffset = off;
    }
  }

  /**
   * Payload of one segment.
   *
   * @param start stream offset of the first payload byte
   */
  void data(TcpSegment s, long start) {
    int cap = s.payloadLength;
    long wire = s.wireLength;
    long end = start + wire;
    byte[] b = s.payload;
    int boff = s.payloadOffset;
    segRetransmitted = 0;
    segHeld = false;
    conflictBytes = 0;
    if (wire > cap && !warnedTruncated) {
      warnedTruncated = true;
      conn.anomaly(TcpReasons.TRUNCATED_PAYLOAD, "captured " + cap + " of " + wire + " payload bytes at stream offset "
          + (start + cap) + " (reported once per direction; the rest counts as missing)", s);
    }
    if (finOffset >= 0 && end > finOffset) {
      if (!warnedAfterFin) {
        warnedAfterFin = true;
        conn.anomaly(TcpReasons.DATA_AFTER_FIN, (end - Math.max(start, finOffset))
            + " payload bytes beyond the FIN at stream offset " + finOffset + " dropped (reported once per direction)", s);
      }
      end = finOffset;
    }
    if (start < 0) {
      if (!warnedBeforeStart) {
        warnedBeforeStart = true;
        conn.anomaly(TcpReasons.DATA_BEFORE_START, (Math.min(end, 0) - start)
            + " payload bytes before the first sequence number seen dropped (reported once per direction)", s);
      }
      if (end <= 0) {
        dropped += wire;
        return;
      }
      int skip = (int) -start;
      boff += Math.min(skip, cap);
      cap = Math.max(0, cap - skip);
      start = 0;
    }
    if (start > next + limits.maxSeqJump()) {
      conn.anomaly(TcpReasons.SEQ_JUMP, "segment at stream offset " + start + " is " + (start - next)
          + " bytes beyond the next expected byte; " + (end - start) + " bytes dropped", s);
      dropped += wire;
      return;
    }
    if (end <= start) {
      dropped += wire;
      return;
    }
    long capEnd = Math.min(end, start + cap);
    dropped += wire - (end - start);
    uncaptured += end - capEnd;
    insert(b, boff, start, capEnd, s.ts);
    if (end > capEnd) {
      insert(null, 0, capEnd, end, s.ts);
    }
    drain();
    retransmitted += segRetransmitted;
    if (segRetransmitted > 0) {
      conn.history.counted(isA, 't');
    }
    if (segHeld) {
      outOfOrder++;
    }
    if (conflictBytes > 0) {
      conflicts++;
      conn.overlapConflict(this, conflictFrom, conflictBytes, s);
    }
  }

  /** Places [from, to): bytes from {@code b}, or a missing range when {@code b} is null. */
  private void insert(byte[] b, int boff, long from, long to, long ts) {
    long pos = from;
    if (pos < next) {
      long e = Math.min(to, next);
      if (b != null) {
        compareDelivered(b, boff, pos, e);
      }
      pos = e;
    }
    while (pos < to) {
      Piece cover = coveringOrNext(pos);
      if (cover != null && cover.off <= pos) {
        long e = Math.min(to, cover.end());
        if (b != null) {
          compareHeld(cover, b, boff + (int) (pos - from), pos, e);
        }
        pos = e;
      } else {
        long e = cover == null ? to : Math.min(to, cover.off);
        place(b, b == null ? 0 : boff + (int) (pos - from), pos, e, ts);
        pos = e;
      }
    }
  }

  private Piece coveringOrNext(long pos) {
    if (held == null || held.isEmpty()) {
      return null;
    }
    Map.Entry<Long, Piece> f = held.floorEntry(pos);
    if (f != null && f.getValue().end() > pos) {
      return f.getValue();
    }
    Map.Entry<Long, Piece> h = held.higherEntry(pos);
    return h == null ? null : h.getValue();
  }

  private void place(byte[] b, int boff, long from, long to, long ts) {
    int len = (int) (to - from);
    if (from == next) {
      if (b == null) {
        emitGap(from, len);
      } else {
        emitDeliver(b, boff, len, from, ts);
      }
      return;
    }
    byte[] copy = null;
    if (b != null) {
      copy = new byte[len];
      System.arraycopy(b, boff, copy, 0, len);
      heldBytes += len;
    }
    if (held == null) {
      held = new TreeMap<>();
    }
    held.put(from, new Piece(from, len, copy, ts));
    oldestHeldTs = Math.min(oldestHeldTs, ts);
    segHeld = true;
  }

  private void compareDelivered(byte[] b, int boff, long from, long to) {
    long diff = recent.firstDifference(b, boff, from, to);
    if (diff < 0) {
      segRetransmitted += to - from;
    } else {
      conflicting += to - from;
      noteConflict(diff, to - diff);
    }
  }

  private void compareHeld(Piece p, byte[] b, int boff, long from, long to) {
    if (p.data == null) {
      segRetransmitted += to - from;
      return;
    }
    int po = (int) (from - p.off);
    int n = (int) (to - from);
    for (int i = 0; i < n; i++) {
      if (p.data[po + i] != b[boff + i]) {
        conflicting += n;
        noteConflict(from + i, n - i);
        return;
      }
    }
    segRetransmitted += n;
  }

  private void noteConflict(long at, long len) {
    if (conflictBytes == 0) {
      conflictFrom = at;
    }
    conflictBytes += len;
  }

  private void emitDeliver(byte[] b, int off, int len, long at, long ts) {
    recent.append(b, off, len, at);
    bytes += len;
    next = at + len;
    conn.deliver(this, b, off, len, at, ts);
  }

  private void emitGap(long at, long len) {
    missing += len;
    next = at + len;
    recent.reset(next);
    conn.history.counted(isA, 'g');
    conn.gap(this, at, len);
  }

  /** Delivers held pieces that now start at {@link #next}. */
  private void drain() {
    if (held == null) {
      return;
    }
    Map.Entry<Long, Piece> first;
    while ((first = held.firstEntry()) != null && first.getKey() <= next) {
      Piece p = first.getValue();
      held.remove(first.getKey());
      if (p.ts == oldestHeldTs) {
        oldestDirty = true;
      }
      if (p.data == null) {
        emitGap(p.off, p.len);
      } else {
        heldBytes -= p.len;
        emitDeliver(p.data, 0, p.len, p.off, p.ts);
      }
    }
    if (held.isEmpty()) {
      oldestHeldTs = Long.MAX_VALUE;
      oldestDirty = false;
    }
  }

  private long oldestHeldTs() {
    if (oldestDirty) {
      long m = Long.MAX_VALUE;
      for (Piece p : held.values()) {
        m = Math.min(m, p.ts);
      }
      oldestHeldTs = m;
      oldestDirty = false;
    }
    return oldestHeldTs;
  }

  /**
   * Gives up holes that can no longer be filled or cost too much: when the reorder buffer is over its byte or piece
   * limit, when its oldest piece is older than the time limit, or when the peer acknowledged bytes the capture
   * does not hold.
   */
  void enforceLimits(long now, TcpSegment s) {
    while (held != null && !held.isEmpty()) {
      boolean over = heldBytes > limits.reorderBytes() || held.size() > limits.reorderSegments();
      boolean stale = now - oldestHeldTs() > limits.reorderNanos();
      boolean acked = ackedOffset > next;
      if (!over && !stale && !acked) {
        return;
      }
      long holeEnd = held.firstKey();
      if (!over && !stale) {
        holeEnd = Math.min(holeEnd, ackedOffset);
      }
      if (over) {
        conn.anomaly(TcpReasons.REORDER_WINDOW_EXCEEDED, heldBytes + " bytes in " + held.size()
            + " pieces held above a hole at stream offset " + next + "; " + (holeEnd - next)
            + " bytes declared missing", s);
      }
      emitGap(next, holeEnd - next);
      drain();
    }
  }

  /** End of input: every hole becomes a gap, then the tail up to the FIN or the peer's last ACK. */
  void finish() {
    if (held != null) {
      while (!held.isEmpty()) {
        emitGap(next, held.firstKey() - next);
        drain();
      }
    }
    // The peer's ACK of a FIN is one past the stream's end: the FIN bounds what an ACK can claim.
    long tail = finOffset >= 0 ? finOffset : ackedOffset;
    if (tail > next) {
      emitGap(next, tail - next);
    }
    held = null;
    recent.release();
  }

  DirectionStats stats() {
    return new DirectionStats(packets, bytes, missing, retransmitted, outOfOrder, conflicts, windowScale, finSeen,
        rstSeen, seen, conflicting, dropped, uncaptured);
  }
}
