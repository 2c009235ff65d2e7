package io.pcaplake.tcp;

/**
 * Counters of one direction of a connection.
 *
 * @param packets segments sent by this side (all, including pure ACKs and retransmissions)
 * @param bytes payload bytes delivered in sequence order (each stream byte once; gaps not included)
 * @param missingBytes stream bytes never seen: gaps, snaplen-cut payload (delivered as {@link TcpListener#gap})
 * @param retransmittedBytes payload bytes seen again with the same content (or too old to compare), dropped
 * @param outOfOrderCount segments that arrived above a hole and were held in the reorder buffer
 * @param overlapConflicts segments that overlapped bytes already seen with different content (first copy kept)
 * @param windowScale the window-scale option of this side's SYN, or -1
 * @param finSeen this side sent a FIN
 * @param rstSeen this side sent a RST
 * @param payloadSeen payload bytes (wire length) of every segment this side sent
 * @param conflictingBytes captured bytes of overlap ranges that differed from the first copy (the whole compared
 *     range, not only from the first differing byte); the first copy is what {@code bytes} delivered
 * @param droppedBytes payload bytes discarded before placement: beyond the FIN, before the first sequence number
 *     seen, beyond a sequence jump ({@code tcp.seq_jump}), or carried by a RST
 * @param uncapturedBytes payload bytes the records did not hold (snaplen cut); those at new stream offsets are also
 *     in {@code missingBytes}
 */
public record DirectionStats(long packets, long bytes, long missingBytes, long retransmittedBytes,
                             long outOfOrderCount, long overlapConflicts, int windowScale, boolean finSeen,
                             boolean rstSeen, long payloadSeen, long conflictingBytes, long droppedBytes,
                             long uncapturedBytes) {
  /**
   * The accounting identity of a direction ({@code docs/accounting.md}): every payload byte seen is delivered once,
   * retransmitted, conflicting, dropped or uncaptured, so this is 0. {@code missingBytes} is not a term: it also
   * holds bytes no segment carried (holes, the tail before a FIN).
   */
  public long unaccountedBytes() {
    return payloadSeen - (bytes + retransmittedBytes + conflictingBytes + droppedBytes + uncapturedBytes);
  }

  /** Stream length: delivered plus missing bytes (tcpflow's file size, where holes are NUL bytes). */
  public long streamLength() {
    return bytes + missingBytes;
  }
}
