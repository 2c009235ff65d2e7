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
 */
public record DirectionStats(long packets, long bytes, long missingBytes, long retransmittedBytes,
                             long outOfOrderCount, long overlapConflicts, int windowScale, boolean finSeen,
                             boolean rstSeen) {
  /** Stream length: delivered plus missing bytes (tcpflow's file size, where holes are NUL bytes). */
  public long streamLength() {
    return bytes + missingBytes;
  }
}
