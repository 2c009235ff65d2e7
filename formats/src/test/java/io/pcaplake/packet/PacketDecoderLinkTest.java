package io.pcaplake.packet;

import static io.pcaplake.packet.TestFrames.concat;
import static io.pcaplake.packet.TestFrames.ethernet;
import static io.pcaplake.packet.TestFrames.ethernetVlan;
import static io.pcaplake.packet.TestFrames.ipv4;
import static io.pcaplake.packet.TestFrames.ipv6;
import static io.pcaplake.packet.TestFrames.of;
import static io.pcaplake.packet.TestFrames.tcp;
import static io.pcaplake.packet.TestFrames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacketDecoderLinkTest {
  private static final byte[] PAYLOAD = "GET / HTTP/1.1\r\n".getBytes();
  private static final byte[] TCP4 = ipv4(6, tcp(40000, 80, 1000, 0, 0x18, new byte[0], PAYLOAD));
  private static final byte[] TCP6 = ipv6(6, new byte[0], tcp(40000, 80, 1000, 0, 0x18, new byte[0], PAYLOAD));

  private final PacketDecoder decoder = new PacketDecoder();
  private final RecordingSink sink = new RecordingSink();

  private DecodedPacket decode(byte[] frame, int linkType) {
    return decoder.decode(frame, 0, frame.length, frame.length, linkType, 0L, 0L, sink);
  }

  private static void assertTcp4(DecodedPacket p) {
    assertEquals(DecodeStatus.OK, p.status());
    assertEquals(4, p.ipVersion());
    assertEquals("10.0.0.1", p.srcIp());
    assertEquals("10.0.0.2", p.dstIp());
    assertEquals(40000, p.srcPort());
    assertEquals(80, p.dstPort());
    assertEquals(PAYLOAD.length, p.payloadLength());
    assertEquals(PAYLOAD.length, p.payloadWireLength());
    assertEquals("GET", new String(p.buffer(), p.payloadOffset(), 3));
  }

  private static void assertTcp6(DecodedPacket p) {
    assertEquals(DecodeStatus.OK, p.status());
    assertEquals(6, p.ipVersion());
    assertEquals("2001:db8::1", p.srcIp());
    assertEquals(80, p.dstPort());
    assertEquals(PAYLOAD.length, p.payloadLength());
  }

  @Test
  void ethernetIpv4AndIpv6() {
    assertTcp4(decode(ethernet(0x0800, TCP4), 1));
    DecodedPacket p = decode(ethernet(0x86dd, TCP6), 1);
    assertTcp6(p);
    assertEquals(-1, p.vlan());
    assertEquals(0, p.vlanDepth());
  }

  @Test
  void recordAtNonZeroOffsetInSharedBuffer() {
    byte[] frame = ethernet(0x0800, TCP4);
    byte[] buffer = concat(new byte[37], frame, new byte[11]);
    DecodedPacket p = decoder.decode(buffer, 37, frame.length, frame.length, 1, 0L, 0L, sink);
    assertTcp4(p);
    assertEquals(37 + 14 + 12, p.srcIpOffset());
  }

  @Test
  void vlanDepths() {
    DecodedPacket p = decode(ethernetVlan(new int[] {0x8100, 0x2064}, 0x0800, TCP4), 1);
    assertTcp4(p);
    assertEquals(100, p.vlan()); // priority bits (0x2000) are not part of the id
    assertEquals(1, p.vlanDepth());

    p = decode(ethernetVlan(new int[] {0x88a8, 200, 0x8100, 300}, 0x0800, TCP4), 1);
    assertTcp4(p);
    assertEquals(200, p.vlan());
    assertEquals(2, p.vlanDepth());

    p = decode(ethernetVlan(new int[] {0x9100, 7, 0x88a8, 8, 0x8100, 9}, 0x86dd, TCP6), 1);
    assertTcp6(p);
    assertEquals(7, p.vlan());
    assertEquals(3, p.vlanDepth());
  }

  @Test
  void ethernetWithFcsDoesNotCountFcsAsPayload() {
    byte[] udp = ipv4(17, udp(53, 5353, new byte[] {1, 2, 3}));
    // Pad to the 60-byte minimum, then add a 4-byte FCS.
    byte[] frame = concat(ethernet(0x0800, udp), new byte[60 - 14 - udp.length], new byte[] {9, 9, 9, 9});
    DecodedPacket p = decoder.decode(frame, 0, frame.length, frame.length, 1, 4, 0L, 0L, sink);
    assertEquals(DecodeStatus.OK, p.status());
    assertEquals(3, p.payloadLength());
    assertEquals(3, p.payloadWireLength());
    // TSO frame (total length 0) with FCS: the length comes from the frame minus the FCS.
    byte[] tso = ipv4(6, tcp(1, 2, 3, 4, 0x10, new byte[0], new byte[100]));
    tso[2] = 0;
    tso[3] = 0;
    frame = concat(ethernet(0x0800, tso), new byte[] {9, 9, 9, 9});
    p = decoder.decode(frame, 0, frame.length, frame.length, 1, 4, 0L, 0L, sink);
    assertEquals(DecodeStatus.OK, p.status());
    assertEquals(100, p.payloadLength());
    assertEquals(100, p.payloadWireLength());
  }

  @Test
  void ethernetPaddingIsNotPayload() {
    byte[] small = ipv4(6, tcp(1, 2, 3, 4, 0x10, new byte[0], new byte[0]));
    byte[] frame = concat(ethernet(0x0800, small), new byte[6]);
    DecodedPacket p = decode(frame, 1);
    assertEquals(DecodeStatus.OK, p.status());
    assertEquals(0, p.payloadLength());
    assertEquals(0, p.payloadWireLength());
  }

  @Test
  void llcSnapAndNonIp() {
    byte[] snap = of().u8(0xaa).u8(0xaa).u8(0x03).u8(0).u8(0).u8(0).u16(0x0800).bytes(TCP4).build();
    assertTcp4(decode(ethernet(snap.length, snap), 1));
    byte[] stp = of().u8(0x42).u8(0x42).u8(0x03).zeros(35).build();
    assertEquals(DecodeStatus.NOT_IP, decode(ethernet(stp.length, stp), 1).status());
    DecodedPacket arp = decode(ethernet(0x0806, new byte[28]), 1);
    assertEquals(DecodeStatus.NOT_IP, arp.status());
    assertEquals(0, arp.ipVersion());
    assertEquals(DecodeStatus.NOT_IP, decode(ethernetVlan(new int[] {0x8100, 5}, 0x88cc, new byte[20]), 1).status());
  }

  @Test
  void pppoeAndMpls() {
    byte[] pppoe = of().u8(0x11).u8(0).u16(1).u16(TCP4.length + 2).u16(0x0021).bytes(TCP4).build();
    assertTcp4(decode(ethernet(0x8864, pppoe), 1));
    byte[] mpls = of().u32(0x00001000L).u32(0x00002100L).bytes(TCP6).build(); // two labels, bottom-of-stack on 2nd
    assertTcp6(decode(ethernet(0x8847, mpls), 1));
  }

  @ParameterizedTest
  @ValueSource(ints = {101, 12, 14})
  void rawIp(int linkType) {
    assertTcp4(decode(TCP4, linkType));
    assertTcp6(decode(TCP6, linkType));
    byte[] bad = TCP4.clone();
    bad[0] = 0x55;
    assertEquals(DecodeStatus.MALFORMED, decode(bad, linkType).status());
    assertEquals(1, sink.count(PacketReasons.IP_BAD_VERSION));
  }

  @Test
  void ipv4AndIpv6LinkTypes() {
    assertTcp4(decode(TCP4, 228));
    assertTcp6(decode(TCP6, 229));
    assertEquals(DecodeStatus.MALFORMED, decode(TCP6, 228).status());
  }

  @Test
  void linuxSll() {
    byte[] sll = of().u16(0).u16(1).u16(6).zeros(8).u16(0x0800).bytes(TCP4).build();
    assertTcp4(decode(sll, 113));
    byte[] sllVlan = of().u16(4).u16(1).u16(6).zeros(8).u16(0x8100).u16(42).u16(0x86dd).bytes(TCP6).build();
    DecodedPacket p = decode(sllVlan, 113);
    assertTcp6(p);
    assertEquals(42, p.vlan());
  }

  @Test
  void linuxSll2() {
    byte[] sll2 = of().u16(0x86dd).u16(0).u32(3).u16(1).u8(0).u8(6).zeros(8).bytes(TCP6).build();
    assertTcp6(decode(sll2, 276));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 108})
  void bsdLoopbackBothByteOrders(int linkType) {
    assertTcp4(decode(concat(new byte[] {2, 0, 0, 0}, TCP4), linkType));
    assertTcp4(decode(concat(new byte[] {0, 0, 0, 2}, TCP4), linkType));
    for (int af6 : new int[] {24, 28, 30}) {
      assertTcp6(decode(concat(new byte[] {(byte) af6, 0, 0, 0}, TCP6), linkType));
      assertTcp6(decode(concat(new byte[] {0, 0, 0, (byte) af6}, TCP6), linkType));
    }
    assertEquals(DecodeStatus.NOT_IP, decode(concat(new byte[] {7, 0, 0, 0}, TCP4), linkType).status());
  }

  @Test
  void otherLinkTypeThroughPcap4j() {
    // LINKTYPE_PPP (9): 0xff 0x03 address/control, then protocol 0x0021 = IPv4.
    byte[] ppp = of().u8(0xff).u8(0x03).u16(0x0021).bytes(TCP4).build();
    DecodedPacket p = decode(ppp, 9);
    assertTcp4(p);
    assertEquals(9, p.linkType());
  }

  @Test
  void unknownLinkTypeReportedOnce() {
    assertEquals(DecodeStatus.UNSUPPORTED_LINK_TYPE, decode(TCP4, 4242).status());
    assertEquals(DecodeStatus.UNSUPPORTED_LINK_TYPE, decode(TCP4, 4242).status());
    assertEquals(1, sink.count(PacketReasons.UNSUPPORTED_LINK_TYPE));
    assertTrue(sink.details.get(0).contains("4242"));
  }
}
