package io.pcaplake.tcp;

/**
 * Large synthetic loads fed straight as {@link TcpSegment}s (no frames), for memory bounds and throughput. The
 * payload byte at stream offset {@code o} is {@link #byteAt}, so a listener can check every byte without keeping
 * any.
 */
final class BulkStreams {
  static final long T0 = 1_700_000_000_000_000_000L;

  private BulkStreams() { }

  static byte byteAt(long o) {
    return (byte) (o * 0x9E3779B1L >>> 24);
  }

  /** Checks offsets, contents and counts; keeps nothing. */
  static final class CountingListener implements TcpListener {
    long delivered;
    long gaps;
    long connections;
    long ended;
    long bad;
    long anomalies;
    final long[] next = new long[2];
    FlowSummary last;

    @Override
    public void connectionStart(ConnectionInfo info) {
      connections++;
      next[0] = 0;
      next[1] = 0;
    }

    @Override
    public void deliver(TcpDirection d, byte[] b, int off, int len, long at, long ts) {
      int i = d.ordinal();
      if (at != next[i]) {
        bad++;
      }
      for (int k = 0; k < len; k += 97) { // sample: the check must not dominate the measurement
        if (b[off + k] != byteAt(at + k)) {
          bad++;
        }
      }
      if (len > 0 && b[off + len - 1] != byteAt(at + len - 1)) {
        bad++;
      }
      next[i] = at + len;
      delivered += len;
    }

    @Override
    public void gap(TcpDirection d, long at, long len) {
      next[d.ordinal()] = at + len;
      gaps += len;
    }

    @Override
    public void anomaly(String reason, String detail, long ts, int file, long record) {
      anomalies++;
    }

    @Override
    public void connectionEnd(FlowSummary s) {
      ended++;
      last = s;
    }
  }

  /**
   * One connection carrying {@code total} bytes server to client in 1460-byte segments, ISN near 2^32 so it wraps;
   * every 50th pair of segments swapped, every 100th segment duplicated (offset 7). Calls {@code probe} every 1000 segments.
   *
   * @return the reassembler (finished)
   */
  static TcpReassembler oneBigConnection(long total, TcpListener l, Runnable probe) {
    TcpReassembler re = new TcpReassembler(40001, 443, TcpLimits.DEFAULTS, l);
    TcpSegment s = new TcpSegment();
    long cIsn = 1000;
    long sIsn = 0xffffffffL - 100_000;
    long ts = T0;
    re.accept(s.set(ts, true, cIsn, 0, TcpSegment.SYN, 65535, null, 0, 0, 0, 0, 0));
    re.accept(s.set(ts += 1000, false, sIsn, cIsn + 1, TcpSegment.SYN | TcpSegment.ACK, 65535, null, 0, 0, 0, 0, 1));
    re.accept(s.set(ts += 1000, true, cIsn + 1, sIsn + 1, TcpSegment.ACK, 65535, null, 0, 0, 0, 0, 2));
    int mss = 1460;
    byte[] a = new byte[mss];
    byte[] b = new byte[mss];
    long segments = (total + mss - 1) / mss;
    long record = 3;
    for (long i = 0; i < segments; i++) {
      boolean swap = i % 50 == 0 && i + 1 < segments;
      long first = swap ? i + 1 : i;
      long second = swap ? i : -1;
      record = sendSegment(re, s, first, total, a, sIsn, cIsn, ts += 1000, record);
      if (swap) {
        record = sendSegment(re, s, second, total, b, sIsn, cIsn, ts += 1000, record);
        i++;
      }
      if (i % 100 == 7) {
        record = sendSegment(re, s, i, total, a, sIsn, cIsn, ts += 1000, record);
      }
      if (i % 1000 == 0 && probe != null) {
        probe.run();
      }
    }
    long end = sIsn + 1 + total;
    re.accept(s.set(ts += 1000, false, end, cIsn + 1, TcpSegment.FIN | TcpSegment.ACK, 65535, null, 0, 0, 0, 0,
        record++));
    re.accept(s.set(ts += 1000, true, cIsn + 1, end + 1, TcpSegment.FIN | TcpSegment.ACK, 65535, null, 0, 0, 0, 0,
        record++));
    re.accept(s.set(ts + 1000, false, end + 1, cIsn + 2, TcpSegment.ACK, 65535, null, 0, 0, 0, 0, record));
    if (probe != null) {
      probe.run();
    }
    re.finish();
    return re;
  }

  private static long sendSegment(TcpReassembler re, TcpSegment s, long index, long total, byte[] buf, long sIsn,
                                  long cIsn, long ts, long record) {
    long off = index * 1460;
    int len = (int) Math.min(1460, total - off);
    for (int k = 0; k < len; k++) {
      buf[k] = byteAt(off + k);
    }
    re.accept(s.set(ts, false, sIsn + 1 + off, cIsn + 1, TcpSegment.ACK | TcpSegment.PSH, 65535, buf, 0, len, len,
        0, record));
    return record + 1;
  }

  /**
   * {@code n} short connections, each on its own key (a new reassembler, as the Spark job sees them): handshake,
   * 60-byte request, 200-byte response, FIN both ways.
   */
  static void manyShortConnections(int n, TcpListener l) {
    TcpSegment s = new TcpSegment();
    byte[] req = new byte[60];
    byte[] resp = new byte[200];
    for (int k = 0; k < req.length; k++) {
      req[k] = byteAt(k);
    }
    for (int k = 0; k < resp.length; k++) {
      resp[k] = byteAt(k);
    }
    long ts = T0;
    int A = TcpSegment.ACK;
    for (int i = 0; i < n; i++) {
      TcpReassembler re = new TcpReassembler(1024 + (i % 60000), 80, TcpLimits.DEFAULTS, l);
      long c = (i * 2654435761L) & 0xffffffffL;
      long v = (i * 40503L + 17) & 0xffffffffL;
      re.accept(s.set(ts++, true, c, 0, TcpSegment.SYN, 65535, null, 0, 0, 0, 0, 0));
      re.accept(s.set(ts++, false, v, c + 1, TcpSegment.SYN | A, 65535, null, 0, 0, 0, 0, 1));
      re.accept(s.set(ts++, true, c + 1, v + 1, A, 65535, null, 0, 0, 0, 0, 2));
      re.accept(s.set(ts++, true, c + 1, v + 1, A | TcpSegment.PSH, 65535, req, 0, 60, 60, 0, 3));
      re.accept(s.set(ts++, false, v + 1, c + 61, A | TcpSegment.PSH, 65535, resp, 0, 200, 200, 0, 4));
      re.accept(s.set(ts++, true, c + 61, v + 201, A | TcpSegment.FIN, 65535, null, 0, 0, 0, 0, 5));
      re.accept(s.set(ts++, false, v + 201, c + 62, A | TcpSegment.FIN, 65535, null, 0, 0, 0, 0, 6));
      re.accept(s.set(ts++, true, c + 62, v + 202, A, 65535, null, 0, 0, 0, 0, 7));
      re.finish();
    }
  }
}
