package io.pcaplake.packet;

import static io.pcaplake.packet.Bytes.u16;
import static io.pcaplake.packet.Bytes.u32;
import static io.pcaplake.packet.Bytes.u8;

import io.pcaplake.capture.ProblemSink;

/**
 * IPv6 header (RFC 8200) and its extension-header chain: hop-by-hop, routing, destination options, fragment, AH.
 * The chain stops at the first upper-layer header, at ESP (encrypted beyond) and at No Next Header.
 */
final class Ipv6 {
  static final int HEADER = 40;
  static final int HOP_BY_HOP = 0;
  static final int ROUTING = 43;
  static final int FRAGMENT = 44;
  static final int ESP = 50;
  static final int AH = 51;
  static final int NO_NEXT_HEADER = 59;
  static final int DESTINATION_OPTIONS = 60;
  static final int FRAGMENT_HEADER = 8;
  /** Bound on extension headers followed, against crafted endless chains. */
  static final int MAX_EXTENSION_HEADERS = 16;

  private Ipv6() { }

  /** Same contract as {@link Ipv4#decode}. */
  static DecodeStatus decode(byte[] b, int ip, int end, int wireAvail, DecodedPacket p, ProblemSink problems,
                             long recordOffset) {
    p.ipVersion = 6;
    p.ipOffset = ip;
    if (end - ip < 1) {
      return DecodeStatus.TRUNCATED;
    }
    int version = u8(b, ip) >>> 4;
    if (version != 6) {
      problems.report(PacketReasons.IP_BAD_VERSION, recordOffset, "IPv6 expected, version nibble " + version);
      return DecodeStatus.MALFORMED;
    }
    if (end - ip < HEADER) {
      return DecodeStatus.TRUNCATED;
    }
    int payloadLength = u16(b, ip + 4);
    int next = u8(b, ip + 6);
    p.ttl = u8(b, ip + 7);
    p.srcIpOffset = ip + 8;
    p.dstIpOffset = ip + 24;
    p.protocol = next;
    int wirePayload = wireAvail - HEADER;
    if (payloadLength == 0 && wirePayload > 0 && next != NO_NEXT_HEADER) {
      // Segmentation offload (or a jumbogram, whose real length sits in a hop-by-hop option): use the frame.
      problems.report(PacketReasons.IP_TOTAL_LENGTH_ZERO, recordOffset,
          "IPv6 payload length 0; using the frame length " + wirePayload);
      payloadLength = wirePayload;
    } else if (payloadLength > wirePayload) {
      problems.report(PacketReasons.IP_LENGTH_EXCEEDS_FRAME, recordOffset,
          "IPv6 payload length " + payloadLength + " > " + Math.max(wirePayload, 0) + " bytes on the wire");
      payloadLength = Math.max(wirePayload, 0);
    }
    int ipEnd = ip + HEADER + payloadLength;
    int capEnd = Math.min(end, ipEnd);
    int pos = ip + HEADER;
    int prevNext = ip + 6;
    for (int i = 0; ; i++) {
      if (i == MAX_EXTENSION_HEADERS) {
        problems.report(PacketReasons.IPV6_BAD_EXTENSION_HEADER, recordOffset,
            "more than " + MAX_EXTENSION_HEADERS + " extension headers");
        return DecodeStatus.MALFORMED;
      }
      int length;
      switch (next) {
        case HOP_BY_HOP:
        case ROUTING:
        case DESTINATION_OPTIONS:
        case AH:
        case FRAGMENT:
          if (ipEnd - pos < 2) {
            return extensionPastEnd(next, problems, recordOffset);
          }
          if (capEnd - pos < 2) {
            return DecodeStatus.TRUNCATED;
          }
          length = next == FRAGMENT ? FRAGMENT_HEADER
              : next == AH ? (u8(b, pos + 1) + 2) * 4 // AH counts 4-byte units minus 2 (RFC 4302)
              : (u8(b, pos + 1) + 1) * 8;
          if (ipEnd - pos < length) {
            return extensionPastEnd(next, problems, recordOffset);
          }
          if (capEnd - pos < length) {
            return DecodeStatus.TRUNCATED;
          }
          break;
        default:
          // Upper layer, ESP, No Next Header, or something unknown: the chain stops.
          p.protocol = next;
          p.transportOffset = pos;
          p.l4End = capEnd;
          p.l4WireLength = ipEnd - pos;
          return DecodeStatus.OK;
      }
      int headerNext = u8(b, pos);
      if (next == FRAGMENT) {
        int offsetFlags = u16(b, pos + 2);
        p.fragmentOffset = offsetFlags & 0xfff8;  // 13-bit offset in 8-byte units, already shifted by 3
        p.moreFragments = (offsetFlags & 1) != 0;
        p.ipId = u32(b, pos + 4);
        p.fragHeaderOffset = pos;
        p.fragPrevNextOffset = prevNext;
        // An "atomic fragment" (offset 0, M=0; RFC 6946) is a whole datagram: decode on.
        if (p.fragmentOffset > 0 || p.moreFragments) {
          p.fragment = true;
          p.protocol = headerNext;
          p.transportOffset = pos + FRAGMENT_HEADER;
          p.l4End = capEnd;
          p.l4WireLength = ipEnd - p.transportOffset;
          return DecodeStatus.OK;
        }
      }
      prevNext = pos;
      next = headerNext;
      p.protocol = next;
      pos += length;
    }
  }

  private static DecodeStatus extensionPastEnd(int header, ProblemSink problems, long recordOffset) {
    problems.report(PacketReasons.IPV6_BAD_EXTENSION_HEADER, recordOffset,
        "extension header " + header + " runs past the IPv6 payload");
    return DecodeStatus.MALFORMED;
  }
}
