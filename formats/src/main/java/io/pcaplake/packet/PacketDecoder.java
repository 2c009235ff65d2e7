package io.pcaplake.packet;

import io.pcaplake.capture.ProblemSink;

/**
 * The public door of the packet package: decodes records link layer -> IP (with defragmentation) -> TCP/UDP by
 * offsets over the record's bytes. One decoder per reader/task: it holds the IP reassembly table, so it is stateful
 * and not thread-safe.
 */
public final class PacketDecoder {
  private final DecodedPacket packet = new DecodedPacket();

  /**
   * Decodes one record. Never throws on bad bytes: the returned packet's status says what happened, and problems
   * go to {@code problems} with reason codes {@code packet.*}.
   *
   * @param data buffer holding the record
   * @param offset start of the record's captured bytes
   * @param caplen captured bytes
   * @param origlen original length on the wire
   * @param linkType LINKTYPE_* value
   * @param tsNanos capture timestamp, for fragment timeouts (capture time, not wall time)
   * @param recordOffset the record's offset, for problem reports
   */
  public DecodedPacket decode(byte[] data, int offset, int caplen, int origlen, int linkType, long tsNanos,
                              long recordOffset, ProblemSink problems) {
    throw new UnsupportedOperationException("packet decoder: in progress");
  }
}
