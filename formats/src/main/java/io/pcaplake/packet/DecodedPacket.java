package io.pcaplake.packet;

/**
 * One decoded record, as offsets and primitives over the record's bytes (a flyweight: {@link PacketDecoder} reuses
 * it for every record, so copy what you keep). Fields not present in the packet hold -1 (numbers) or 0 (ipVersion).
 * String forms ({@link #srcIp()}, {@link #dstIp()}, as {@code inet_ntop} writes them) allocate and are meant for
 * output columns only.
 */
public final class DecodedPacket {
  DecodeStatus status = DecodeStatus.OK;
  int linkType;
  /** Outermost VLAN id, or -1. */
  int vlan = -1;
  /** Number of 802.1Q/802.1ad tags seen. */
  int vlanDepth;
  /** Ethernet source and destination MAC (48 bits), or -1 when the link layer is not Ethernet. */
  long srcMac = -1;
  long dstMac = -1;
  int ipVersion;
  byte[] buffer;
  int srcIpOffset = -1;
  int dstIpOffset = -1;
  int protocol = -1;
  int ttl = -1;
  boolean fragment;
  /** True when this record completed an IP datagram from fragments; transport fields then describe the datagram. */
  boolean reassembled;
  int srcPort = -1;
  int dstPort = -1;
  long tcpSeq = -1;
  long tcpAck = -1;
  int tcpFlags = -1;
  int tcpWindow = -1;
  int tcpMss = -1;
  int tcpWindowScale = -1;
  boolean tcpSackPermitted;
  long tcpTsVal = -1;
  long tcpTsEcr = -1;
  int payloadOffset = -1;
  int payloadLength;
  int payloadWireLength;
  /** Offset of the IP header in {@link #buffer}, or -1. */
  int ipOffset = -1;
  /** IPv4 identification (16 bit) or IPv6 fragment identification (32 bit), or -1. */
  long ipId = -1;
  /** Fragment offset in bytes, or -1 when the packet carries no fragment information (IPv6 without fragment header). */
  int fragmentOffset = -1;
  boolean moreFragments;
  /** Offset of the transport (or other upper-layer) header, or -1. */
  int transportOffset = -1;
  int udpLength = -1;

  // Scratch values passed between the layers of one decode; not part of the public shape.
  /** End of the captured upper-layer bytes (capture end clipped to the IP length). */
  int l4End;
  /** Upper-layer bytes the IP length fields say the packet carried. */
  int l4WireLength;
  /** IPv6: offset of the fragment header, and of the next-header byte that points to it; -1 otherwise. */
  int fragHeaderOffset = -1;
  int fragPrevNextOffset = -1;

  void reset(byte[] buffer, int linkType) {
    this.buffer = buffer;
    this.linkType = linkType;
    status = DecodeStatus.OK;
    vlan = -1;
    vlanDepth = 0;
    srcMac = -1;
    dstMac = -1;
    ipVersion = 0;
    srcIpOffset = -1;
    dstIpOffset = -1;
    protocol = -1;
    ttl = -1;
    fragment = false;
    reassembled = false;
    srcPort = -1;
    dstPort = -1;
    tcpSeq = -1;
    tcpAck = -1;
    tcpFlags = -1;
    tcpWindow = -1;
    tcpMss = -1;
    tcpWindowScale = -1;
    tcpSackPermitted = false;
    tcpTsVal = -1;
    tcpTsEcr = -1;
    payloadOffset = -1;
    payloadLength = 0;
    payloadWireLength = 0;
    ipOffset = -1;
    ipId = -1;
    fragmentOffset = -1;
    moreFragments = false;
    transportOffset = -1;
    udpLength = -1;
    l4End = 0;
    l4WireLength = 0;
    fragHeaderOffset = -1;
    fragPrevNextOffset = -1;
  }

  /** Clears the IP and transport fields before re-decoding a reassembled datagram; link fields stay. */
  void resetNetwork(byte[] newBuffer) {
    int keepVlan = vlan;
    int keepDepth = vlanDepth;
    long keepSrcMac = srcMac;
    long keepDstMac = dstMac;
    reset(newBuffer, linkType);
    vlan = keepVlan;
    vlanDepth = keepDepth;
    srcMac = keepSrcMac;
    dstMac = keepDstMac;
  }

  public DecodeStatus status() { return status; }
  public int linkType() { return linkType; }
  public int vlan() { return vlan; }
  public int vlanDepth() { return vlanDepth; }
  /**
   * Ethernet source MAC as a 48-bit value (first octet in bits 47..40), or -1 when the frame is not Ethernet. Kept
   * as a value, not an offset, because a reassembled datagram's {@link #buffer()} is not the frame.
   */
  public long srcMac() { return srcMac; }
  /** Ethernet destination MAC as a 48-bit value, or -1. */
  public long dstMac() { return dstMac; }
  /** 4, 6, or 0 when the record carries no IP packet. */
  public int ipVersion() { return ipVersion; }
  /** The buffer that offsets refer to: the record's own, or the decoder's reassembly buffer after defragmentation. */
  public byte[] buffer() { return buffer; }
  public int srcIpOffset() { return srcIpOffset; }
  public int dstIpOffset() { return dstIpOffset; }
  /** 4 for IPv4, 16 for IPv6, 0 without IP. */
  public int ipAddressLength() { return ipVersion == 4 ? 4 : ipVersion == 6 ? 16 : 0; }
  /** IP protocol / IPv6 upper-layer next header (6 TCP, 17 UDP, ...), or -1. */
  public int protocol() { return protocol; }
  /** IPv4 TTL or IPv6 hop limit, or -1. */
  public int ttl() { return ttl; }
  /** True for any IP fragment (MF set or offset &gt; 0, or an IPv6 fragment header). */
  public boolean fragment() { return fragment; }
  public boolean reassembled() { return reassembled; }
  public int srcPort() { return srcPort; }
  public int dstPort() { return dstPort; }
  /** TCP sequence number as unsigned 32-bit, or -1. */
  public long tcpSeq() { return tcpSeq; }
  public long tcpAck() { return tcpAck; }
  /** TCP flag bits (FIN=0x01 SYN=0x02 RST=0x04 PSH=0x08 ACK=0x10 URG=0x20 ECE=0x40 CWR=0x80 NS=0x100), or -1. */
  public int tcpFlags() { return tcpFlags; }
  public int tcpWindow() { return tcpWindow; }
  public int tcpMss() { return tcpMss; }
  public int tcpWindowScale() { return tcpWindowScale; }
  public boolean tcpSackPermitted() { return tcpSackPermitted; }
  public long tcpTsVal() { return tcpTsVal; }
  public long tcpTsEcr() { return tcpTsEcr; }
  /**
   * Offset of the transport payload in {@link #buffer()}, or -1. For protocols other than TCP and UDP (ICMP, ESP,
   * ...) the payload is the whole IP payload.
   */
  public int payloadOffset() { return payloadOffset; }
  /** Transport payload bytes present in the buffer (after snaplen cut). */
  public int payloadLength() { return payloadLength; }
  /**
   * Transport payload length the packet carried on the wire, from the IP length fields; larger than
   * {@link #payloadLength()} when the record was cut. For TCP segmentation-offload frames (IP total length 0) it is
   * derived from the captured length.
   */
  public int payloadWireLength() { return payloadWireLength; }

  /** Offset of the IP header in {@link #buffer()}, or -1. */
  public int ipOffset() { return ipOffset; }
  /** IPv4 identification or IPv6 fragment-header identification (unsigned), or -1. */
  public long ipId() { return ipId; }
  /** Fragment offset in bytes; 0 for an unfragmented IPv4 packet, -1 when unknown (IPv6 without fragment header). */
  public int fragmentOffset() { return fragmentOffset; }
  /** The More Fragments flag. */
  public boolean moreFragments() { return moreFragments; }
  /** Offset of the transport header (TCP/UDP/ICMP/...) in {@link #buffer()}, or -1. */
  public int transportOffset() { return transportOffset; }
  /** The UDP length field (header included), or -1. */
  public int udpLength() { return udpLength; }

  public boolean isTcp() { return protocol == 6 && tcpFlags >= 0; }
  public boolean isUdp() { return protocol == 17 && srcPort >= 0; }

  public String srcIp() { return address(srcIpOffset); }
  public String dstIp() { return address(dstIpOffset); }

  private String address(int offset) {
    int len = ipAddressLength();
    if (offset < 0 || len == 0) {
      return null;
    }
    return IpAddresses.format(buffer, offset, len);
  }
}
