package io.pcaplake.synth;

import java.nio.ByteOrder;

/**
 * Builds link-layer frames, IP packets and TCP/UDP segments byte by byte, with correct lengths and checksums.
 * Every method returns a fresh array.
 */
public final class Frames {
  private Frames() { }

  public static final int PROTO_TCP = 6;
  public static final int PROTO_UDP = 17;
  public static final int PROTO_IPV6_FRAGMENT = 44;
  public static final int PROTO_IPV6_DEST_OPTS = 60;
  static final int ETHERNET_HEADER = 14;
  static final int VLAN_TAG = 4;
  static final int SLL_HEADER = 16;
  static final int SLL2_HEADER = 20;
  static final int NULL_HEADER = 4;
  static final int IPV4_HEADER = 20;
  static final int IPV6_HEADER = 40;
  static final int TCP_HEADER = 20;
  static final int UDP_HEADER = 8;
  static final int IPV4_FLAG_DF = 0x4000;
  static final int IPV4_FLAG_MF = 0x2000;

  /**
   * An Ethernet II frame. With tags, the outermost of two or more uses TPID 0x88a8 (802.1ad), the others 0x8100.
   *
   * @param vlanTags TCI values (priority bits + VLAN id), outermost first; empty for untagged
   */
  public static byte[] ethernet(long dstMac, long srcMac, int[] vlanTags, int etherType, byte[] payload) {
    int hdr = ETHERNET_HEADER + VLAN_TAG * vlanTags.length;
    byte[] f = new byte[hdr + payload.length];
    Checksums.putMac(f, 0, dstMac);
    Checksums.putMac(f, 6, srcMac);
    int p = 12;
    for (int i = 0; i < vlanTags.length; i++) {
      int tpid = vlanTags.length > 1 && i == 0 ? LinkTypes.ETHERTYPE_QINQ : LinkTypes.ETHERTYPE_VLAN;
      Checksums.put16(f, p, tpid);
      Checksums.put16(f, p + 2, vlanTags[i]);
      p += VLAN_TAG;
    }
    Checksums.put16(f, p, etherType);
    System.arraycopy(payload, 0, f, hdr, payload.length);
    return f;
  }

  /** A Linux cooked capture v1 frame (LINKTYPE_LINUX_SLL, 16-byte header). */
  public static byte[] sll(int packetType, long srcMac, int protocol, byte[] payload) {
    byte[] f = new byte[SLL_HEADER + payload.length];
    Checksums.put16(f, 0, packetType);
    Checksums.put16(f, 2, LinkTypes.ARPHRD_ETHER);
    Checksums.put16(f, 4, 6);
    Checksums.putMac(f, 6, srcMac);
    Checksums.put16(f, 14, protocol);
    System.arraycopy(payload, 0, f, SLL_HEADER, payload.length);
    return f;
  }

  /** A Linux cooked capture v2 frame (LINKTYPE_LINUX_SLL2, 20-byte header). */
  public static byte[] sll2(int protocol, int interfaceIndex, int packetType, long srcMac, byte[] payload) {
    byte[] f = new byte[SLL2_HEADER + payload.length];
    Checksums.put16(f, 0, protocol);
    Checksums.put32(f, 4, interfaceIndex);
    Checksums.put16(f, 8, LinkTypes.ARPHRD_ETHER);
    f[10] = (byte) packetType;
    f[11] = 6;
    Checksums.putMac(f, 12, srcMac);
    System.arraycopy(payload, 0, f, SLL2_HEADER, payload.length);
    return f;
  }

  /** A BSD loopback frame (LINKTYPE_NULL): the address family as 4 bytes in the capturing host's byte order. */
  public static byte[] bsdNull(int addressFamily, ByteOrder hostOrder, byte[] payload) {
    byte[] f = new byte[NULL_HEADER + payload.length];
    if (hostOrder == ByteOrder.BIG_ENDIAN) {
      Checksums.put32(f, 0, addressFamily);
    } else {
      f[0] = (byte) addressFamily;
      f[1] = (byte) (addressFamily >>> 8);
      f[2] = (byte) (addressFamily >>> 16);
      f[3] = (byte) (addressFamily >>> 24);
    }
    System.arraycopy(payload, 0, f, NULL_HEADER, payload.length);
    return f;
  }

  /** An OpenBSD loopback frame (LINKTYPE_LOOP): the address family as 4 bytes in network byte order. */
  public static byte[] loop(int addressFamily, byte[] payload) {
    return bsdNull(addressFamily, ByteOrder.BIG_ENDIAN, payload);
  }

  /** An IPv4 packet with correct total length and header checksum. */
  public static byte[] ipv4(Ipv4Header h, int protocol, byte[] payload) {
    int hl = IPV4_HEADER + h.optionsLength();
    byte[] p = new byte[hl + payload.length];
    writeIpv4Header(p, hl, p.length, h.id(), h.dontFragment() ? IPV4_FLAG_DF : 0, h.ttl(), protocol,
        h.src().getAddress(), h.dst().getAddress(), h.optionsRaw(), h.optionsLength());
    System.arraycopy(payload, 0, p, hl, payload.length);
    return p;
  }

  static void writeIpv4Header(byte[] p, int headerLength, int totalLength, int id, int flagsAndOffset, int ttl,
                              int protocol, byte[] src, byte[] dst, byte[] options, int optionsLength) {
    p[0] = (byte) (0x40 | headerLength / 4);
    Checksums.put16(p, 2, totalLength);
    Checksums.put16(p, 4, id);
    Checksums.put16(p, 6, flagsAndOffset);
    p[8] = (byte) ttl;
    p[9] = (byte) protocol;
    System.arraycopy(src, 0, p, 12, 4);
    System.arraycopy(dst, 0, p, 16, 4);
    System.arraycopy(options, 0, p, IPV4_HEADER, optionsLength);
    p[10] = 0;
    p[11] = 0;
    Checksums.put16(p, 10, Checksums.finish(Checksums.sum(p, 0, headerLength)));
  }

  /** An IPv6 packet, with an 8-byte Destination Options header first when the header asks for one. */
  public static byte[] ipv6(Ipv6Header h, int protocol, byte[] payload) {
    int ext = h.destinationOptions() ? 8 : 0;
    byte[] p = new byte[IPV6_HEADER + ext + payload.length];
    writeIpv6Header(p, h, ext + payload.length, h.destinationOptions() ? PROTO_IPV6_DEST_OPTS : protocol);
    if (ext > 0) {
      p[IPV6_HEADER] = (byte) protocol;
      p[IPV6_HEADER + 1] = 0;
      p[IPV6_HEADER + 2] = 1;
      p[IPV6_HEADER + 3] = 4;
    }
    System.arraycopy(payload, 0, p, IPV6_HEADER + ext, payload.length);
    return p;
  }

  static void writeIpv6Header(byte[] p, Ipv6Header h, int payloadLength, int nextHeader) {
    Checksums.put32(p, 0, 0x60000000L | h.flowLabel());
    Checksums.put16(p, 4, payloadLength);
    p[6] = (byte) nextHeader;
    p[7] = (byte) h.hopLimit();
    System.arraycopy(h.src().getAddress(), 0, p, 8, 16);
    System.arraycopy(h.dst().getAddress(), 0, p, 24, 16);
  }

  /** A TCP segment (header + options + payload) with its checksum over the pseudo-header of {@code ip}. */
  public static byte[] tcp(IpHeader ip, TcpHeader t, byte[] payload) {
    int hl = TCP_HEADER + t.options().length();
    byte[] s = new byte[hl + payload.length];
    Checksums.put16(s, 0, t.srcPort());
    Checksums.put16(s, 2, t.dstPort());
    Checksums.put32(s, 4, t.seq());
    Checksums.put32(s, 8, t.ack());
    s[12] = (byte) (hl / 4 << 4);
    s[13] = (byte) t.flags();
    Checksums.put16(s, 14, t.window());
    t.options().write(s, TCP_HEADER);
    System.arraycopy(payload, 0, s, hl, payload.length);
    long sum = Checksums.pseudoHeader(ip.src(), ip.dst(), PROTO_TCP, s.length) + Checksums.sum(s, 0, s.length);
    Checksums.put16(s, 16, Checksums.finish(sum));
    return s;
  }

  /** A UDP datagram with its checksum (0 computed becomes 0xffff, as RFC 768 says). */
  public static byte[] udp(IpHeader ip, int srcPort, int dstPort, byte[] payload) {
    byte[] s = new byte[UDP_HEADER + payload.length];
    Checksums.put16(s, 0, srcPort);
    Checksums.put16(s, 2, dstPort);
    Checksums.put16(s, 4, s.length);
    System.arraycopy(payload, 0, s, UDP_HEADER, payload.length);
    int c = Checksums.finish(Checksums.pseudoHeader(ip.src(), ip.dst(), PROTO_UDP, s.length)
        + Checksums.sum(s, 0, s.length));
    Checksums.put16(s, 6, c == 0 ? 0xffff : c);
    return s;
  }

  /** A whole TCP frame: segment in IP in link. */
  public static byte[] tcpFrame(Link link, IpHeader ip, TcpHeader t, byte[] payload) {
    return link.frame(ip.wrap(PROTO_TCP, tcp(ip, t, payload)));
  }

  /** A whole UDP frame: datagram in IP in link. */
  public static byte[] udpFrame(Link link, IpHeader ip, int srcPort, int dstPort, byte[] payload) {
    return link.frame(ip.wrap(PROTO_UDP, udp(ip, srcPort, dstPort, payload)));
  }
}
