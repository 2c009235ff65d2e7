package io.pcaplake.packet;

import static io.pcaplake.packet.Bytes.u16;
import static io.pcaplake.packet.Bytes.u8;

/**
 * Finds the network-layer header behind the link-layer header, by offsets. Sets the VLAN fields of the packet and
 * returns what kind of payload was found ({@code KIND_*}); the IP header's offset is then in {@link #networkOffset}.
 * One instance per decoder (it keeps {@link #networkOffset} as scratch, so nothing is allocated per record).
 * Link types and their headers are described in {@code docs/formats/linktypes.md}.
 */
final class LinkLayer {
  // LINKTYPE_* values (tcpdump.org link-layer header types).
  static final int LINKTYPE_NULL = 0;
  static final int LINKTYPE_ETHERNET = 1;
  static final int LINKTYPE_RAW_12 = 12;
  static final int LINKTYPE_RAW_14 = 14;
  static final int LINKTYPE_RAW = 101;
  static final int LINKTYPE_LOOP = 108;
  static final int LINKTYPE_LINUX_SLL = 113;
  static final int LINKTYPE_IPV4 = 228;
  static final int LINKTYPE_IPV6 = 229;
  static final int LINKTYPE_LINUX_SLL2 = 276;

  // EtherType values.
  static final int ETHERTYPE_IPV4 = 0x0800;
  static final int ETHERTYPE_IPV6 = 0x86dd;
  static final int ETHERTYPE_VLAN = 0x8100;      // 802.1Q
  static final int ETHERTYPE_QINQ = 0x88a8;      // 802.1ad service tag
  static final int ETHERTYPE_QINQ_OLD = 0x9100;  // pre-standard QinQ
  static final int ETHERTYPE_QINQ_9200 = 0x9200; // pre-standard QinQ, some vendors
  static final int ETHERTYPE_PPPOE_SESSION = 0x8864;
  static final int ETHERTYPE_MPLS = 0x8847;
  static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;
  /** EtherType values up to this are 802.3 length fields, followed by an LLC header. */
  static final int MAX_8023_LENGTH = 1500;

  static final int PPP_IPV4 = 0x0021;
  static final int PPP_IPV6 = 0x0057;

  // BSD address families in the NULL/LOOP header: AF_INET is 2 everywhere; AF_INET6 differs per OS.
  static final int AF_INET = 2;
  static final int AF_INET6_LINUX = 10;
  static final int AF_INET6_BSD = 24;     // NetBSD, OpenBSD, BSD/OS
  static final int AF_INET6_FREEBSD = 28; // FreeBSD, DragonFly
  static final int AF_INET6_DARWIN = 30;  // macOS, iOS

  static final int ETHERNET_HEADER = 14;
  static final int VLAN_TAG = 4;
  static final int SLL_HEADER = 16;
  static final int SLL2_HEADER = 20;
  static final int NULL_HEADER = 4;
  static final int PPPOE_HEADER = 8; // 6 bytes PPPoE + 2 bytes PPP protocol
  static final int MPLS_LABEL = 4;
  /** Bound on MPLS labels followed; real stacks have a handful. */
  static final int MAX_MPLS_LABELS = 16;

  static final int KIND_IPV4 = 4;
  static final int KIND_IPV6 = 6;
  static final int KIND_NOT_IP = -1;
  static final int KIND_TRUNCATED = -2;
  /** Not one of ours: try pcap4j. */
  static final int KIND_OTHER_LINK = -3;
  /** Raw-IP link type whose version nibble is neither 4 nor 6. */
  static final int KIND_BAD_VERSION = -4;

  /** Offset of the IP header when {@link #decode} returned {@link #KIND_IPV4} or {@link #KIND_IPV6}. */
  int networkOffset;

  int decode(byte[] b, int off, int end, int linkType, DecodedPacket p) {
    switch (linkType) {
      case LINKTYPE_ETHERNET:
        if (end - off < ETHERNET_HEADER) {
          return KIND_TRUNCATED;
        }
        p.dstMac = mac(b, off);
        p.srcMac = mac(b, off + 6);
        return etherType(b, off + ETHERNET_HEADER, end, u16(b, off + 12), p);
      case LINKTYPE_RAW:
      case LINKTYPE_RAW_12:
      case LINKTYPE_RAW_14:
        return byVersionNibble(b, off, end, KIND_BAD_VERSION);
      case LINKTYPE_IPV4:
        networkOffset = off;
        return KIND_IPV4;
      case LINKTYPE_IPV6:
        networkOffset = off;
        return KIND_IPV6;
      case LINKTYPE_LINUX_SLL:
        if (end - off < SLL_HEADER) {
          return KIND_TRUNCATED;
        }
        return etherType(b, off + SLL_HEADER, end, u16(b, off + 14), p);
      case LINKTYPE_LINUX_SLL2:
        if (end - off < SLL2_HEADER) {
          return KIND_TRUNCATED;
        }
        return etherType(b, off + SLL2_HEADER, end, u16(b, off), p);
      case LINKTYPE_NULL:
      case LINKTYPE_LOOP:
        return loopback(b, off, end);
      default:
        return KIND_OTHER_LINK;
    }
  }

  /**
   * NULL (host byte order of the writer) and LOOP (documented as network order, but host order is seen too): the
   * family is a small number, so whichever end of the 4 bytes holds it tells the byte order.
   */
  private int loopback(byte[] b, int off, int end) {
    if (end - off < NULL_HEADER) {
      return KIND_TRUNCATED;
    }
    int family;
    if (b[off + 1] == 0 && b[off + 2] == 0 && b[off + 3] == 0) {
      family = u8(b, off);      // little-endian writer
    } else if (b[off] == 0 && b[off + 1] == 0 && b[off + 2] == 0) {
      family = u8(b, off + 3);  // big-endian writer
    } else {
      return KIND_NOT_IP;
    }
    networkOffset = off + NULL_HEADER;
    switch (family) {
      case AF_INET:
        return KIND_IPV4;
      case AF_INET6_LINUX:
      case AF_INET6_BSD:
      case AF_INET6_FREEBSD:
      case AF_INET6_DARWIN:
        return KIND_IPV6;
      default:
        return KIND_NOT_IP;
    }
  }

  private int byVersionNibble(byte[] b, int pos, int end, int otherwise) {
    if (pos >= end) {
      return KIND_TRUNCATED;
    }
    networkOffset = pos;
    int version = u8(b, pos) >>> 4;
    return version == 4 ? KIND_IPV4 : version == 6 ? KIND_IPV6 : otherwise;
  }

  /** Follows an EtherType through VLAN tags, LLC/SNAP, PPPoE and MPLS to IP. */
  private int etherType(byte[] b, int pos, int end, int type, DecodedPacket p) {
    while (true) {
      switch (type) {
        case ETHERTYPE_IPV4:
          networkOffset = pos;
          return KIND_IPV4;
        case ETHERTYPE_IPV6:
          networkOffset = pos;
          return KIND_IPV6;
        case ETHERTYPE_VLAN:
        case ETHERTYPE_QINQ:
        case ETHERTYPE_QINQ_OLD:
        case ETHERTYPE_QINQ_9200:
          if (end - pos < VLAN_TAG) {
            return KIND_TRUNCATED;
          }
          if (p.vlanDepth == 0) {
            p.vlan = u16(b, pos) & 0x0fff;
          }
          p.vlanDepth++;
          type = u16(b, pos + 2);
          pos += VLAN_TAG;
          break;
        case ETHERTYPE_PPPOE_SESSION:
          if (end - pos < PPPOE_HEADER) {
            return KIND_TRUNCATED;
          }
          int ppp = u16(b, pos + 6);
          networkOffset = pos + PPPOE_HEADER;
          return ppp == PPP_IPV4 ? KIND_IPV4 : ppp == PPP_IPV6 ? KIND_IPV6 : KIND_NOT_IP;
        case ETHERTYPE_MPLS:
        case ETHERTYPE_MPLS_MULTICAST:
          return mpls(b, pos, end);
        default:
          if (type > MAX_8023_LENGTH) {
            return KIND_NOT_IP;
          }
          // 802.3 length field: LLC follows. Only SNAP (AA AA 03 + OUI + EtherType) can carry IP here.
          if (end - pos < 3) {
            return KIND_TRUNCATED;
          }
          if (u8(b, pos) != 0xaa || u8(b, pos + 1) != 0xaa || u8(b, pos + 2) != 0x03) {
            return KIND_NOT_IP;
          }
          if (end - pos < 8) {
            return KIND_TRUNCATED;
          }
          type = u16(b, pos + 6);
          pos += 8;
          if (type <= MAX_8023_LENGTH) {
            return KIND_NOT_IP; // no nested LLC
          }
          break;
      }
    }
  }

  /** MPLS carries no payload type: after the bottom-of-stack label, IP is recognised by its version nibble. */
  private int mpls(byte[] b, int pos, int end) {
    for (int i = 0; i < MAX_MPLS_LABELS; i++) {
      if (end - pos < MPLS_LABEL) {
        return KIND_TRUNCATED;
      }
      boolean bottom = (b[pos + 2] & 0x01) != 0;
      pos += MPLS_LABEL;
      if (bottom) {
        return byVersionNibble(b, pos, end, KIND_NOT_IP);
      }
    }
    return KIND_NOT_IP;
  }

  /** Six bytes at {@code i} as a 48-bit value. */
  static long mac(byte[] b, int i) {
    return (long) u16(b, i) << 32 | (long) u16(b, i + 2) << 16 | u16(b, i + 4);
  }
}
