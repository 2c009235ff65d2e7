package io.pcaplake.synth;

import java.nio.ByteOrder;
import java.util.List;

/**
 * How IP packets are framed on one capture interface, for one direction of traffic.
 *
 * @param linkType LINKTYPE_* value
 * @param srcMac sender MAC (48 bits), for Ethernet and the cooked link types
 * @param dstMac receiver MAC (48 bits), for Ethernet
 * @param vlanTags 802.1Q TCI values, outermost first: one tag is 802.1Q, two are 802.1ad + 802.1Q (QinQ), three are
 *     802.1ad + 802.1Q + 802.1Q; Ethernet only
 */
public record Link(int linkType, long srcMac, long dstMac, List<Integer> vlanTags) {
  public static final long DEFAULT_CLIENT_MAC = 0x020000000001L;
  public static final long DEFAULT_SERVER_MAC = 0x020000000002L;

  public Link {
    vlanTags = List.copyOf(vlanTags);
    if (!vlanTags.isEmpty() && linkType != LinkTypes.ETHERNET) {
      throw new IllegalArgumentException("VLAN tags need Ethernet, not link type " + linkType);
    }
    if (vlanTags.size() > 3) {
      throw new IllegalArgumentException("at most three VLAN tags");
    }
  }

  public static Link ethernet(long srcMac, long dstMac, int... vlanTags) {
    return new Link(LinkTypes.ETHERNET, srcMac, dstMac, java.util.Arrays.stream(vlanTags).boxed().toList());
  }

  /** A link type with default MACs and no VLAN. */
  public static Link of(int linkType) {
    return new Link(linkType, DEFAULT_CLIENT_MAC, DEFAULT_SERVER_MAC, List.of());
  }

  /** The other direction: MACs swapped, same tags. */
  public Link reversed() {
    return new Link(linkType, dstMac, srcMac, vlanTags);
  }

  /** The outermost VLAN id, or -1 when untagged. */
  public int outerVlan() {
    return vlanTags.isEmpty() ? -1 : vlanTags.get(0) & 0xfff;
  }

  /** Frames an IP packet (version taken from its first nibble) for this link. */
  public byte[] frame(byte[] ipPacket) {
    boolean v6 = (ipPacket[0] >>> 4 & 0xf) == 6;
    int etherType = v6 ? LinkTypes.ETHERTYPE_IPV6 : LinkTypes.ETHERTYPE_IPV4;
    int af = v6 ? LinkTypes.AF_INET6_DARWIN : LinkTypes.AF_INET;
    return switch (linkType) {
      case LinkTypes.ETHERNET -> Frames.ethernet(dstMac, srcMac, vlanTags.stream().mapToInt(Integer::intValue).toArray(),
          etherType, ipPacket);
      case LinkTypes.LINUX_SLL -> Frames.sll(LinkTypes.SLL_HOST, srcMac, etherType, ipPacket);
      case LinkTypes.LINUX_SLL2 -> Frames.sll2(etherType, 1, LinkTypes.SLL_HOST, srcMac, ipPacket);
      case LinkTypes.NULL -> Frames.bsdNull(af, ByteOrder.LITTLE_ENDIAN, ipPacket);
      case LinkTypes.LOOP -> Frames.loop(af, ipPacket);
      case LinkTypes.RAW -> ipPacket.clone();
      case LinkTypes.IPV4 -> {
        if (v6) {
          throw new IllegalArgumentException("IPv6 packet on LINKTYPE_IPV4");
        }
        yield ipPacket.clone();
      }
      case LinkTypes.IPV6 -> {
        if (!v6) {
          throw new IllegalArgumentException("IPv4 packet on LINKTYPE_IPV6");
        }
        yield ipPacket.clone();
      }
      default -> throw new IllegalArgumentException("unsupported link type " + linkType);
    };
  }
}
