package io.pcaplake.packet;

import static io.pcaplake.packet.Bytes.u16;

import io.pcaplake.capture.ProblemSink;

/** UDP header (RFC 768). */
final class Udp {
  static final int PROTOCOL = 17;
  static final int HEADER = 8;

  private Udp() { }

  /** Decodes the UDP header at {@code p.transportOffset}; the IP layer set {@code l4End} and {@code l4WireLength}. */
  static DecodeStatus decode(byte[] b, DecodedPacket p, ProblemSink problems, long recordOffset) {
    int t = p.transportOffset;
    int wire = p.l4WireLength;
    int captured = p.l4End - t;
    if (captured >= 4) {
      p.srcPort = u16(b, t);
      p.dstPort = u16(b, t + 2);
    }
    if (wire < HEADER) {
      problems.report(PacketReasons.UDP_HEADER_PAST_END, recordOffset,
          "IP payload of " + wire + " bytes cannot hold a UDP header");
      return DecodeStatus.MALFORMED;
    }
    if (captured < HEADER) {
      return DecodeStatus.TRUNCATED;
    }
    p.udpLength = u16(b, t + 4);
    int length = p.udpLength;
    if (length < HEADER || length > wire) {
      problems.report(PacketReasons.UDP_BAD_LENGTH, recordOffset,
          "UDP length " + length + ", IP payload " + wire + "; using the IP payload");
      length = wire;
    }
    p.payloadOffset = t + HEADER;
    p.payloadWireLength = length - HEADER;
    p.payloadLength = Math.max(0, Math.min(p.l4End, t + length) - p.payloadOffset);
    return DecodeStatus.OK;
  }
}
