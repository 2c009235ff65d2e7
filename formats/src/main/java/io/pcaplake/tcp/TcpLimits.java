package io.pcaplake.tcp;

/**
 * Limits of one {@link TcpReassembler}. All apply per connection direction; nothing else grows with a connection.
 *
 * <table>
 *   <tr><th>limit</th><th>default</th><th>what happens at the limit</th></tr>
 *   <tr><td>{@code reorderBytes}</td><td>1 MiB</td><td>out-of-order bytes held waiting for a hole to fill; beyond,
 *       the lowest hole is declared a gap ({@code tcp.reorder_window_exceeded}) and delivery continues after it</td></tr>
 *   <tr><td>{@code reorderSegments}</td><td>1024</td><td>out-of-order pieces held; beyond, as above</td></tr>
 *   <tr><td>{@code reorderNanos}</td><td>10 s of capture time</td><td>a hole older than this (measured from the
 *       oldest held piece) becomes a gap</td></tr>
 *   <tr><td>{@code compareBytes}</td><td>64 KiB</td><td>most recent delivered bytes kept to compare
 *       retransmissions with; older retransmitted bytes are counted, not compared</td></tr>
 *   <tr><td>{@code maxSeqJump}</td><td>16 MiB</td><td>data starting further than this beyond the next expected byte
 *       is dropped ({@code tcp.seq_jump}); an ACK further ahead is not trusted to size a gap; a SYN on a
 *       mid-stream side further than this from the stream starts a new connection</td></tr>
 *   <tr><td>{@code maxHistory}</td><td>64</td><td>letters in the Zeek history string; later letters are dropped</td></tr>
 * </table>
 */
public record TcpLimits(long reorderBytes, int reorderSegments, long reorderNanos, int compareBytes, long maxSeqJump,
                        int maxHistory) {
  public static final TcpLimits DEFAULTS = new TcpLimits(1L << 20, 1024, 10_000_000_000L, 64 << 10, 16L << 20, 64);

  public TcpLimits {
    if (reorderBytes < 0 || reorderBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("reorderBytes must be in 0..2^31-1: " + reorderBytes);
    }
    if (reorderSegments < 0) {
      throw new IllegalArgumentException("reorderSegments must be >= 0: " + reorderSegments);
    }
    if (reorderNanos < 0) {
      throw new IllegalArgumentException("reorderNanos must be >= 0: " + reorderNanos);
    }
    if (compareBytes < 0 || compareBytes > (1 << 30)) {
      throw new IllegalArgumentException("compareBytes must be in 0..2^30: " + compareBytes);
    }
    if (maxSeqJump < 1 || maxSeqJump > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxSeqJump must be in 1..2^31-1: " + maxSeqJump);
    }
    if (maxHistory < 1) {
      throw new IllegalArgumentException("maxHistory must be >= 1: " + maxHistory);
    }
  }

  public TcpLimits withReorder(long bytes, int segments, long nanos) {
    return new TcpLimits(bytes, segments, nanos, compareBytes, maxSeqJump, maxHistory);
  }

  public TcpLimits withCompareBytes(int bytes) {
    return new TcpLimits(reorderBytes, reorderSegments, reorderNanos, bytes, maxSeqJump, maxHistory);
  }
}
