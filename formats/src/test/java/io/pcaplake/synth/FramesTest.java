package io.pcaplake.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.Dot1qVlanTagPacket;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6ExtDestinationOptionsPacket;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.UdpPacket;
import org.pcap4j.packet.namednumber.TcpOptionKind;

class FramesTest {
  static final Inet4Address C4 = (Inet4Address) Oracle.addr("10.0.3.7");
  static final Inet4Address S4 = (Inet4Address) Oracle.addr("10.0.0.10");
  static final Inet6Address C6 = (Inet6Address) Oracle.addr("2001:db8::7");
  static final Inet6Address S6 = (Inet6Address) Oracle.addr("2001:db8::10");
  static final byte[] DATA = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  @Test
  void ethernetIpv4TcpWithOptionsDecodesWithValidChecksums() throws Exception {
    Ipv4Header ip = new Ipv4Header(C4, S4, 57, 0x1234, true, new byte[] {1, 1, 1, 0});
    TcpOptions opts = TcpOptions.syn(1400, 7, 123456);
    TcpHeader th = new TcpHeader(40001, 8000, 0xfffffff0L, 77, TcpHeader.SYN | TcpHeader.ACK, 29200, opts);
    byte[] f = Frames.tcpFrame(Link.ethernet(0x0a0b0c0d0e0fL, 0x020000000002L), ip, th, DATA);

    EthernetPacket eth = EthernetPacket.newPacket(f, 0, f.length);
    assertEquals("0a:0b:0c:0d:0e:0f", eth.getHeader().getSrcAddr().toString());
    IpV4Packet v4 = eth.get(IpV4Packet.class);
    assertTrue(v4.getHeader().hasValidChecksum(false));
    assertEquals(57, v4.getHeader().getTtlAsInt());
    assertEquals(0x1234, v4.getHeader().getIdentificationAsInt());
    assertTrue(v4.getHeader().getDontFragmentFlag());
    assertEquals(24 / 4, v4.getHeader().getIhlAsInt());
    TcpPacket tcp = v4.get(TcpPacket.class);
    assertTrue(tcp.hasValidChecksum(C4, S4, false));
    assertEquals(0xfffffff0L, tcp.getHeader().getSequenceNumberAsLong());
    assertEquals(77, tcp.getHeader().getAcknowledgmentNumberAsLong());
    assertTrue(tcp.getHeader().getSyn() && tcp.getHeader().getAck() && !tcp.getHeader().getFin());
    assertEquals(29200, tcp.getHeader().getWindowAsInt());
    var kinds = tcp.getHeader().getOptions().stream().map(o -> o.getKind()).toList();
    assertTrue(kinds.containsAll(java.util.List.of(TcpOptionKind.MAXIMUM_SEGMENT_SIZE, TcpOptionKind.WINDOW_SCALE,
        TcpOptionKind.SACK_PERMITTED, TcpOptionKind.TIMESTAMPS)), kinds.toString());
    assertArrayEquals(DATA, tcp.getPayload().getRawData());
  }

  @Test
  void corruptedByteBreaksTheTcpChecksum() throws Exception {
    TcpHeader th = new TcpHeader(1, 2, 3, 4, TcpHeader.ACK, 100, TcpOptions.NONE);
    byte[] f = Frames.tcpFrame(Link.of(LinkTypes.ETHERNET), Ipv4Header.of(C4, S4), th, DATA);
    f[f.length - 1] ^= 1;
    TcpPacket tcp = EthernetPacket.newPacket(f, 0, f.length).get(TcpPacket.class);
    assertFalse(tcp.hasValidChecksum(C4, S4, false));
  }

  @Test
  void vlanTagsSingleQinqAndTriple() throws Exception {
    TcpHeader th = new TcpHeader(1, 2, 3, 4, TcpHeader.ACK, 100, TcpOptions.NONE);
    byte[] one = Frames.tcpFrame(Link.ethernet(1, 2, 42), Ipv4Header.of(C4, S4), th, DATA);
    Dot1qVlanTagPacket tag = EthernetPacket.newPacket(one, 0, one.length).get(Dot1qVlanTagPacket.class);
    assertEquals(42, tag.getHeader().getVidAsInt());
    assertTrue(tag.get(TcpPacket.class).hasValidChecksum(C4, S4, false));

    byte[] two = Frames.tcpFrame(Link.ethernet(1, 2, 100, 200), Ipv4Header.of(C4, S4), th, DATA);
    assertEquals(0x88a8, Oracle.u16(two, 12));
    assertEquals(100, Oracle.u16(two, 14));
    assertEquals(0x8100, Oracle.u16(two, 16));
    assertEquals(200, Oracle.u16(two, 18));
    assertEquals(0x0800, Oracle.u16(two, 20));

    byte[] three = Frames.tcpFrame(Link.ethernet(1, 2, 1, 2, 3), Ipv6Header.of(C6, S6), th, DATA);
    assertEquals(0x88a8, Oracle.u16(three, 12));
    assertEquals(0x8100, Oracle.u16(three, 16));
    assertEquals(0x8100, Oracle.u16(three, 20));
    assertEquals(3, Oracle.u16(three, 22));
    assertEquals(0x86dd, Oracle.u16(three, 24));
    assertEquals(26 + 40 + 20 + DATA.length, three.length);
    IpV6Packet v6 = (IpV6Packet) Oracle.ip(LinkTypes.ETHERNET, three);
    assertTrue(v6.get(TcpPacket.class).hasValidChecksum(C6, S6, false));
  }

  @Test
  void ipv6WithDestinationOptionsKeepsTheUpperLayerChecksum() throws Exception {
    Ipv6Header h = new Ipv6Header(C6, S6, 33, 0xabcde, true);
    byte[] f = Frames.udpFrame(Link.of(LinkTypes.ETHERNET), h, 5353, 53, DATA);
    IpV6Packet v6 = EthernetPacket.newPacket(f, 0, f.length).get(IpV6Packet.class);
    assertEquals(33, v6.getHeader().getHopLimitAsInt());
    assertEquals(0xabcde, v6.getHeader().getFlowLabel().value());
    assertEquals(8 + 8 + DATA.length, v6.getHeader().getPayloadLengthAsInt());
    assertInstanceOf(IpV6ExtDestinationOptionsPacket.class, v6.getPayload());
    UdpPacket udp = v6.get(UdpPacket.class);
    assertTrue(udp.hasValidChecksum(C6, S6, false));
    assertArrayEquals(DATA, udp.getPayload().getRawData());
  }

  @Test
  void udpOverIpv4HasValidChecksum() throws Exception {
    byte[] f = Frames.udpFrame(Link.of(LinkTypes.ETHERNET), Ipv4Header.of(C4, S4), 5353, 53, DATA);
    UdpPacket udp = EthernetPacket.newPacket(f, 0, f.length).get(UdpPacket.class);
    assertTrue(udp.hasValidChecksum(C4, S4, false));
    assertEquals(8 + DATA.length, udp.getHeader().getLengthAsInt());
  }

  @Test
  void cookedLoopbackAndRawLinkHeaders() {
    byte[] ip4 = Ipv4Header.of(C4, S4).wrap(Frames.PROTO_UDP, Frames.udp(Ipv4Header.of(C4, S4), 1, 2, DATA));
    byte[] ip6 = Ipv6Header.of(C6, S6).wrap(Frames.PROTO_UDP, Frames.udp(Ipv6Header.of(C6, S6), 1, 2, DATA));

    byte[] sll = new Link(LinkTypes.LINUX_SLL, 0x112233445566L, 0, java.util.List.of()).frame(ip4);
    assertEquals(16 + ip4.length, sll.length);
    assertEquals(LinkTypes.SLL_HOST, Oracle.u16(sll, 0));
    assertEquals(1, Oracle.u16(sll, 2));
    assertEquals(6, Oracle.u16(sll, 4));
    assertEquals(0x11, sll[6] & 0xff);
    assertEquals(0x0800, Oracle.u16(sll, 14));

    byte[] sll2 = Frames.sll2(0x86dd, 3, LinkTypes.SLL_OUTGOING, 0x112233445566L, ip6);
    assertEquals(0x86dd, Oracle.u16(sll2, 0));
    assertEquals(3, Oracle.u16(sll2, 6));
    assertEquals(1, Oracle.u16(sll2, 8));
    assertEquals(LinkTypes.SLL_OUTGOING, sll2[10]);
    assertEquals(6, sll2[11]);
    assertEquals(0x66, sll2[17] & 0xff);

    byte[] nullLe = Frames.bsdNull(LinkTypes.AF_INET, ByteOrder.LITTLE_ENDIAN, ip4);
    assertArrayEquals(new byte[] {2, 0, 0, 0}, java.util.Arrays.copyOf(nullLe, 4));
    byte[] nullBe = Frames.bsdNull(LinkTypes.AF_INET, ByteOrder.BIG_ENDIAN, ip4);
    assertArrayEquals(new byte[] {0, 0, 0, 2}, java.util.Arrays.copyOf(nullBe, 4));
    byte[] loop = Link.of(LinkTypes.LOOP).frame(ip6);
    assertArrayEquals(new byte[] {0, 0, 0, 30}, java.util.Arrays.copyOf(loop, 4));
    assertArrayEquals(ip6, Oracle.ipBytes(LinkTypes.LOOP, loop));

    assertArrayEquals(ip4, Link.of(LinkTypes.RAW).frame(ip4));
    assertArrayEquals(ip6, Link.of(LinkTypes.IPV6).frame(ip6));
    assertThrows(IllegalArgumentException.class, () -> Link.of(LinkTypes.IPV4).frame(ip6));
    assertThrows(IllegalArgumentException.class, () -> new Link(LinkTypes.LINUX_SLL, 1, 2, java.util.List.of(5)));
  }
}
