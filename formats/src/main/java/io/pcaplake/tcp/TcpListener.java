package io.pcaplake.tcp;

/**
 * Receives what a {@link TcpReassembler} makes of one key's segments, in this order per connection:
 * {@code connectionStart}, then {@code deliver}/{@code gap}/{@code overlapConflict}/{@code anomaly} interleaved,
 * then {@code connectionEnd}. Per direction, {@code deliver} and {@code gap} ranges are contiguous and ascending:
 * every stream offset from 0 to the direction's stream length is covered exactly once by one of them.
 *
 * <p>Byte arrays passed to {@code deliver} belong to the reassembler or the caller's segment: copy what you keep.
 */
public interface TcpListener {
  /** A connection begins; called before any other callback of the connection. */
  default void connectionStart(ConnectionInfo info) { }

  /**
   * Stream bytes in sequence order.
   *
   * @param streamOffset offset of {@code b[off]} in the direction's stream (0 = first byte after the SYN, or the
   *     first byte seen when the connection was picked up mid-stream)
   * @param ts capture time of the segment that carried the bytes
   */
  void deliver(TcpDirection direction, byte[] b, int off, int len, long streamOffset, long ts);

  /** Bytes the capture does not hold (Zeek's {@code Undelivered}); the stream continues after them. */
  default void gap(TcpDirection direction, long streamOffset, long missingBytes) { }

  /**
   * A segment carried bytes that differ from the copy seen first (which was kept). Also reported as anomaly
   * {@link TcpReasons#OVERLAP_CONFLICT}.
   *
   * @param streamOffset first conflicting stream offset covered by the segment
   * @param length overlapping bytes compared, from {@code streamOffset}
   */
  default void overlapConflict(TcpDirection direction, long streamOffset, long length, long ts) { }

  /**
   * A problem found, as data ({@link TcpReasons}).
   *
   * @param captureFile the capture file id of the segment that raised it (from {@link TcpSegment}), or -1
   * @param recordOffset its record offset, or -1 when raised at end of input
   */
  default void anomaly(String reason, String detail, long ts, int captureFile, long recordOffset) { }

  /** The connection is over: port reuse started the next one, or {@link TcpReassembler#finish()} was called. */
  default void connectionEnd(FlowSummary summary) { }
}
