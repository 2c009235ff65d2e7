package io.pcaplake.packet;

/**
 * Limits of one {@link PacketDecoder}, all for IP defragmentation (the only state a decoder keeps).
 *
 * <table>
 *   <tr><th>limit</th><th>default</th><th>what happens at the limit</th></tr>
 *   <tr><td>{@code maxDatagramsInFlight}</td><td>1024</td><td>the oldest incomplete datagram is evicted
 *       ({@code packet.fragment_incomplete})</td></tr>
 *   <tr><td>{@code maxDatagramBytes}</td><td>65535</td><td>a fragment reaching beyond is dropped
 *       ({@code packet.fragment_too_large})</td></tr>
 *   <tr><td>{@code maxTotalBytes}</td><td>16 MiB</td><td>oldest datagrams are evicted until the buffers fit
 *       ({@code packet.fragment_incomplete})</td></tr>
 *   <tr><td>{@code fragmentTimeoutNanos}</td><td>30 s of capture time</td><td>an incomplete datagram older than this,
 *       measured from its first fragment, is dropped ({@code packet.fragment_incomplete})</td></tr>
 * </table>
 */
public record DecoderLimits(int maxDatagramsInFlight, int maxDatagramBytes, long maxTotalBytes,
                            long fragmentTimeoutNanos) {
  /** The IP length fields cannot describe a larger datagram. */
  public static final int MAX_IP_DATAGRAM = 65535;

  public static final DecoderLimits DEFAULTS =
      new DecoderLimits(1024, MAX_IP_DATAGRAM, 16L << 20, 30_000_000_000L);

  public DecoderLimits {
    if (maxDatagramsInFlight < 1) {
      throw new IllegalArgumentException("maxDatagramsInFlight must be >= 1: " + maxDatagramsInFlight);
    }
    if (maxDatagramBytes < 1 || maxDatagramBytes > MAX_IP_DATAGRAM) {
      throw new IllegalArgumentException("maxDatagramBytes must be in 1.." + MAX_IP_DATAGRAM + ": " + maxDatagramBytes);
    }
    if (maxTotalBytes < maxDatagramBytes) {
      throw new IllegalArgumentException("maxTotalBytes must hold one datagram: " + maxTotalBytes);
    }
    if (fragmentTimeoutNanos <= 0) {
      throw new IllegalArgumentException("fragmentTimeoutNanos must be > 0: " + fragmentTimeoutNanos);
    }
  }

  /** The defaults with another fragment timeout. */
  public DecoderLimits withFragmentTimeoutNanos(long nanos) {
    return new DecoderLimits(maxDatagramsInFlight, maxDatagramBytes, maxTotalBytes, nanos);
  }
}
