package io.pcaplake.packet;

import static io.pcaplake.packet.Bytes.u16;
import static io.pcaplake.packet.Bytes.u8;

import io.pcaplake.capture.ProblemSink;

/** IPv4 header (RFC 791): addresses, TTL, protocol, fragmentation, and where the upper layer starts and ends. */
final class Ipv4 {
  static final int MIN_HEADER = 20;
  static final int FLAG_MORE_FRAGMENTS = 0x2000;
  static final int FRAGMENT_OFFSET_MASK = 0x1fff;
  /** The fragment offset field counts 8-byte units. */
  static final int FRAGMENT_UNIT = 8;

  private Ipv4() { }

  /**
   * @param ip offset of the IP header
   * @param end end of the captured bytes (FCS excluded)
   * @param wireAvail bytes the frame carried on the wire from {@code ip} on (FCS excluded)
   * @return OK, TRUNCATED or MALFORMED; on OK {@code transportOffset}, {@code l4End}, {@code l4WireLength} are set
   */
  static DecodeStatus decode(byte[] b, int ip, int end, int wireAvail, DecodedPacket p, ProblemSink problems,
                             long recordOffset) {
    p.ipVersion = 4;
    p.ipOffset = ip;
    if (end - ip < 1) {
      return DecodeStatus.TRUNCATED;
    }
    int version = u8(b, ip) >>> 4;
    if (version != 4) {
      problems.report(PacketReasons.IP_BAD_VERSION, recordOffset, "IPv4 expected, version nibble " + version);
      return DecodeStatus.MALFORMED;
    }
    if (end - ip < MIN_HEADER) {
      return DecodeStatus.TRUNCATED;
    }
    int headerLength = (u8(b, ip) & 0x0f) * 4;
    int totalLength = u16(b, ip + 2);
    int flagsOffset = u16(b, ip + 6);
    p.ipId = u16(b, ip + 4);
    p.ttl = u8(b, ip + 8);
    p.protocol = u8(b, ip + 9);
    p.srcIpOffset = ip + 12;
    p.dstIpOffset = ip + 16;
    p.moreFragments = (flagsOffset & FLAG_MORE_FRAGMENTS) != 0;
    p.fragmentOffset = (flagsOffset & FRAGMENT_OFFSET_MASK) * FRAGMENT_UNIT;
    p.fragment = p.moreFragments || p.fragmentOffset > 0;
    if (headerLength < MIN_HEADER) {
      problems.report(PacketReasons.IP_BAD_HEADER_LENGTH, recordOffset, "IHL " + headerLength / 4);
      return DecodeStatus.MALFORMED;
    }
    if (totalLength != 0 && totalLength < headerLength) {
      problems.report(PacketReasons.IP_BAD_TOTAL_LENGTH, recordOffset,
          "total length " + totalLength + " < header length " + headerLength);
      return DecodeStatus.MALFORMED;
    }
    if (totalLength == 0) {
      // Captured on the sending host before segmentation offload split it: the NIC fills in the length later.
      problems.report(PacketReasons.IP_TOTAL_LENGTH_ZERO, recordOffset,
          "IPv4 total length 0 (segmentation offload); using the frame length " + wireAvail);
      totalLength = wireAvail;
    } else if (totalLength > wireAvail) {
      problems.report(PacketReasons.IP_LENGTH_EXCEEDS_FRAME, recordOffset,
          "IPv4 total length " + totalLength + " > " + wireAvail + " bytes on the wire");
      totalLength = wireAvail;
    }
    if (end - ip < headerLength || totalLength < headerLength) {
      return DecodeStatus.TRUNCATED; // options cut, or the frame ended inside the header
    }
    p.transportOffset = ip + headerLength;
    p.l4End = Math.min(end, ip + totalLength);
    p.l4WireLength = totalLength - headerLength;
    return DecodeStatus.OK;
  }
}
