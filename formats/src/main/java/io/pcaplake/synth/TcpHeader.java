package io.pcaplake.synth;

/**
 * TCP header choices; data offset and checksum are computed when the segment is built.
 *
 * @param seq sequence number, taken modulo 2^32
 * @param ack acknowledgment number, taken modulo 2^32 (meaningful only with {@link #ACK})
 * @param flags bit set of {@link #FIN}, {@link #SYN}, ...
 */
public record TcpHeader(int srcPort, int dstPort, long seq, long ack, int flags, int window, TcpOptions options) {
  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int PSH = 0x08;
  public static final int ACK = 0x10;
  public static final int URG = 0x20;
  public static final int DEFAULT_WINDOW = 65535;

  public TcpHeader {
    if (srcPort < 0 || srcPort > 0xffff || dstPort < 0 || dstPort > 0xffff) {
      throw new IllegalArgumentException("ports " + srcPort + " " + dstPort);
    }
    seq &= 0xffffffffL;
    ack &= 0xffffffffL;
    options = options == null ? TcpOptions.NONE : options;
  }
}
