package io.pcaplake.tcp;

/**
 * The public door of the tcp package: reassembles the segments of one connection key (an ordered endpoint pair,
 * protocol TCP, VLAN), fed in capture-time order, into each direction's byte stream, delivered in sequence order
 * through a {@link TcpListener}.
 *
 * <p>What it does (details in {@code docs/tcp.md}): handshake and ISNs, 32-bit sequence wrap (64-bit stream
 * offsets), retransmissions (identical bytes counted and dropped), overlaps with different bytes (first copy kept,
 * {@code tcp.overlap_conflict}), out-of-order pieces held within {@link TcpLimits} (bytes, pieces, capture time),
 * gaps (declared, never filled with NULs), FIN/RST/half-close, port reuse (a SYN with a new ISN after FIN/RST or
 * from a side that already sent another SYN, or far from a mid-stream side's sequence, starts connection 1, 2,
 * ...), mid-stream pickup with a client/server decision (SYN, SYN+ACK, first payload, ports, first packet), snaplen
 * cut payload (missing bytes), and {@link #finish()} at end of input.
 *
 * <p>Memory per key: two small counters objects, the reorder buffers (bounded by {@link TcpLimits}) and the
 * retransmission-compare windows (at most {@link TcpLimits#compareBytes()} per direction, grown on demand). Not
 * thread-safe; one instance per key.
 */
public final class TcpReassembler {
  /** Decides roles from a connection's first payload when no SYN was seen. */
  @FunctionalInterface
  public interface RoleHint {
    /** +1: the sender of these bytes is the client; -1: the server; 0: cannot tell. */
    int guess(byte[] b, int off, int len);

    /** HTTP request line (GET, POST, ... ) means client, {@code HTTP/1.} means server. */
    RoleHint HTTP = Roles::httpHint;
  }

  final TcpLimits limits;
  final TcpListener listener;
  final RoleHint hint;
  final int portA;
  final int portB;
  private Connection current;
  private int connections;

  /**
   * @param portA port of endpoint A of the key (see {@link TcpSegment})
   * @param portB port of endpoint B
   */
  public TcpReassembler(int portA, int portB, TcpLimits limits, TcpListener listener) {
    this(portA, portB, limits, listener, RoleHint.HTTP);
  }

  public TcpReassembler(int portA, int portB, TcpLimits limits, TcpListener listener, RoleHint hint) {
    if (limits == null || listener == null || hint == null) {
      throw new IllegalArgumentException("limits, listener and hint are required");
    }
    this.limits = limits;
    this.listener = listener;
    this.hint = hint;
    this.portA = portA;
    this.portB = portB;
  }

  /** Feeds the next segment of the key, in capture-time order. */
  public void accept(TcpSegment s) {
    if (current == null) {
      current = new Connection(this, connections++);
    } else if (s.has(TcpSegment.SYN) && current.startsNewConnection(s)) {
      current.finish();
      current = new Connection(this, connections++);
    }
    current.accept(s);
  }

  /** End of input: flushes held data (gaps before it) and ends the open connection. Idempotent. */
  public void finish() {
    if (current != null) {
      current.finish();
      current = null;
    }
  }

  /**
   * Numbers this key's connections from {@code index} on (default 0): for a flow table that ended a key's
   * connection and meets the key again, so that the next connection gets the index a whole-key run would give it.
   * Call before the first segment.
   */
  public TcpReassembler firstConnectionIndex(int index) {
    if (current != null || index < 0) {
      throw new IllegalStateException("firstConnectionIndex(" + index + ") after the first segment");
    }
    connections = index;
    return this;
  }

  /** Connections started so far on this key (the next connection's index). */
  public int connectionCount() {
    return connections;
  }

  /** True when the open connection saw a RST or a FIN (a local engine may end it after an idle time). */
  public boolean isClosing() {
    return current != null && current.closed();
  }

  /** True when the open connection saw a RST, or a FIN from both sides (it is over but for late packets). */
  public boolean isClosed() {
    return current != null && (current.rstSeen || (current.a.finSeen && current.b.finSeen));
  }

  /** Capture time of the open connection's last packet, or -1 (for idle timeouts in a flow table). */
  public long lastTs() {
    return current == null ? -1 : current.endTs;
  }

  /** Bytes held in the open connection's reorder buffers. */
  public long heldBytes() {
    return current == null ? 0 : current.a.heldBytes() + current.b.heldBytes();
  }

  /** Bytes allocated for the open connection's retransmission-compare windows (for memory tests). */
  long retainedCapacity() {
    return current == null ? 0 : (long) current.a.retainedCapacity() + current.b.retainedCapacity();
  }
}
