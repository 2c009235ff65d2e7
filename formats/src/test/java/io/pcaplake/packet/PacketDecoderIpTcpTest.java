package io.pcaplake.packet;

import static io.pcaplake.packet.TestFrames.concat;
import static io.pcaplake.packet.TestFrames.ethernet;
import static io.pcaplake.packet.TestFrames.ipv4;
import static io.pcaplake.packet.TestFrames.ipv6;
import static io.pcaplake.packet.TestFrames.of;
import static io.pcaplake.packet.TestFrames.tcp;
import static io.pcaplake.packet.TestFrames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacketDecoderIpTcpTest {
  private static final byte[] NONE = new byte[0];
  private final PacketDecoder decoder = new PacketDecoder();
  private final RecordingSink sink = new RecordingSink();

  private DecodedPacket raw(byte[] ip) {
    return decoder.decode(ip, 0, ip.length, ip.length, 101, 0L, 0L, sink);
  }

  @Test
  void ipv4OptionsAreSkippedByIhl() {
    byte[] options = {(byte) 0x94, 4, 0, 0, 1, 1, 1, 0}; // router alert + NOP NOP NOP EOL
    byte[] ip = ipv4(17, options, 7, 0, udp(1234, 53, new byte[] {1, 2, 3, 4, 5}));
    DecodedPacket p = raw(ip);
    assertEquals(DecodeStatus.OK, p.status());
    assertEquals(28, p.transportOffset());
    assertEquals(1234, p.srcPort());
    assertEquals(53, p.dstPort());
    assertEquals(13, p.udpLength());
    assertEquals(5, p.payloadLength());
    assertEquals(64, p.ttl());
    assertEquals(7, p.ipId());
    assertFalse(p.fragment());
  }

  @Test
  void ipv4HeaderLengthBelowFiveIsMalformed() {
    byte[] ip = ipv4(6, tcp(1, 2, 3, 4, 2, NONE, NONE));
    ip[0] = 0x44;
    assertEquals(DecodeStatus.MALFORMED, raw(ip).status());
    assertEquals(1, sink.count(PacketReasons.IP_BAD_HEADER_LENGTH));
  }

  @Test
  void ipv4TotalLengthBelowHeaderIsMalformed() {
    byte[] ip = ipv4(6, tcp(1, 2, 3, 4, 2, NONE, NONE));
    ip[3] = 12;
    assertEquals(DecodeStatus.MALFORMED, raw(ip).status());
    assertEquals(1, sink.count(PacketReasons.IP_BAD_TOTAL_LENGTH));
  }

  @Test
  void ipv4TotalLengthZeroIsSegmentationOffload() {
    byte[] ip = ipv4(6, tcp(1, 2, 3, 4, 0x18, NONE, new byte[3000]));
    ip[2] = 0;
    ip[3] = 0;
    DecodedPacket p = raw(ip);
    assertEquals(DecodeStatus.OK, p.status());
    assertEquals(3000, p.payloadLength());
    assertEquals(3000, p.payloadWireLength());
    assertEquals(1, sink.count(PacketReasons.IP_TOTAL_LENGTH_ZERO));
    // Cut by the snaplen: the wire length comes from origlen.
    p = decoder.decode(ip, 0, 100, ip.length, 101, 0L, 0L, sink);
    assertEquals(DecodeStatus.OK, p.status());
    assertEquals(60, p.payloadLength());
    assertEquals(3000, p.payloadWireLength());
  }

  @Test
  void ipLengthLargerThanFrameIsReportedAndClamped() {
    byte[] ip = ipv4(17, udp(1, 2, new byte[10]));
    ip[3] = (byte) (ip[3] + 50);
    DecodedPacket p = raw(ip);
    assertEquals(1, sink.count(PacketReasons.IP_LENGTH_EXCEEDS_FRAME));
    assertEquals(DecodeStatus.OK, p.status());
    assertEquals(10, p.payloadLength());
  }

  @Test
  void snaplenCutShowsWireLargerThanCaptured() {
    byte[] frame = ethernet(0x0800, ipv4(6, tcp(1, 2, 3, 4, 0x18, NONE, new byte[1000])));
    DecodedPacket p = decoder.decode(frame, 0, 96, frame.length, 1, 0L, 0L, sink);
    assertEquals(DecodeStatus.OK, p.status());
    assertEquals(96 - 54, p.payloadLength());
    assertEquals(1000, p.payloadWireLength());
    assertTrue(sink.reasons.isEmpty());
  }

  @Test
  void ipv6ExtensionHeaders() {
    byte[] hopByHop = of().u8(43).u8(0).zeros(6).build();               // -> routing
    byte[] routing = of().u8(60).u8(1).u8(0).u8(0).zeros(4).zeros(8).build(); // 16 bytes -> dest opts
    byte[] destOpts = of().u8(51).u8(0).zeros(6).build();               // -> AH
    byte[] ah = of().u8(6).u8(4).zeros(2).zeros(20).build();            // (4+2)*4 = 24 bytes -> TCP
    byte[] chain = concat(hopByHop, routing, destOpts, ah);
    byte[] ip = ipv6(0, chain, tcp(5, 6, 7, 8, 0x02, NONE, new byte[9]));
    DecodedPacket p = raw(ip);
    assertEquals(DecodeStatus.OK, p.status());
    assertEquals(6, p.protocol());
    assertEquals(40 + chain.length, p.transportOffset());
    assertEquals(5, p.srcPort());
    assertEquals(9, p.payloadLength());
    assertEquals(63, p.ttl());
  }

  @Test
  void ipv6StopsAtEspAndNoNextHeader() {
    DecodedPacket p = raw(ipv6(50, NONE, new byte[32]));
    assertEquals(DecodeStatus.OK, p.status());
    assertEquals(50, p.protocol());
    assertEquals(32, p.payloadLength());
    byte[] dest = of().u8(59).u8(0).zeros(6).build();
    p = raw(ipv6(60, dest, NONE));
    assertEquals(DecodeStatus.OK, p.status());
    assertEquals(59, p.protocol());
  }

  @Test
  void ipv6ExtensionHeaderPastPayloadIsMalformed() {
    byte[] hopByHop = of().u8(6).u8(5).zeros(6).build(); // claims 48 bytes, only 8 present
    assertEquals(DecodeStatus.MALFORMED, raw(ipv6(0, hopByHop, NONE)).status());
    assertEquals(1, sink.count(PacketReasons.IPV6_BAD_EXTENSION_HEADER));
  }

  @Test
  void ipv6AtomicFragmentIsWholeDatagram() {
    byte[] frag = of().u8(17).u8(0).u16(0).u32(99).build();
    DecodedPacket p = raw(ipv6(44, frag, udp(7, 8, new byte[4])));
    assertEquals(DecodeStatus.OK, p.status());
    assertFalse(p.fragment());
    assertEquals(8, p.dstPort());
    assertEquals(99, p.ipId());
  }

  @Test
  void tcpFieldsAndOptions() {
    byte[] options = of()
        .u8(2).u8(4).u16(1460)              // MSS
        .u8(1)                              // NOP
        .u8(3).u8(3).u8(7)                  // window scale
        .u8(4).u8(2)                        // SACK permitted
        .u8(8).u8(10).u32(0xfffffff0L).u32(0x80000001L) // timestamps, high bit set (unsigned)
        .u8(1).u8(1).u8(1).u8(0)            // NOP NOP NOP EOL -> 24 bytes
        .build();
    byte[] ip = ipv4(6, tcp(443, 51000, 0xfedcba98L, 0x89abcdefL, 0x1c2, options, NONE));
    DecodedPacket p = raw(ip);
    assertEquals(DecodeStatus.OK, p.status());
    assertTrue(p.isTcp());
    assertEquals(0xfedcba98L, p.tcpSeq());
    assertEquals(0x89abcdefL, p.tcpAck());
    assertEquals(0x1c2, p.tcpFlags()); // NS + CWR + ECE + SYN
    assertEquals(65535, p.tcpWindow());
    assertEquals(1460, p.tcpMss());
    assertEquals(7, p.tcpWindowScale());
    assertTrue(p.tcpSackPermitted());
    assertEquals(0xfffffff0L, p.tcpTsVal());
    assertEquals(0x80000001L, p.tcpTsEcr());
    assertEquals(20 + 20 + 24, p.payloadOffset());
    assertEquals(0, p.payloadLength());
  }

  @Test
  void tcpBadOptionLengthStopsOptionParsing() {
    byte[] options = of().u8(2).u8(4).u16(1400).u8(8).u8(1).u8(0).u8(0).build(); // TS with length 1
    DecodedPacket p = raw(ipv4(6, tcp(1, 2, 3, 4, 0x02, options, NONE)));
    assertEquals(DecodeStatus.OK, p.status());
    assertEquals(1400, p.tcpMss());
    assertEquals(-1, p.tcpTsVal());
    assertEquals(1, sink.count(PacketReasons.TCP_BAD_OPTION));
  }

  @Test
  void tcpDataOffsetBelowFiveIsMalformed() {
    byte[] segment = tcp(1, 2, 3, 4, 0x10, NONE, new byte[8]);
    segment[12] = 0x40;
    DecodedPacket p = raw(ipv4(6, segment));
    assertEquals(DecodeStatus.MALFORMED, p.status());
    assertEquals(1, p.srcPort());
    assertEquals(1, sink.count(PacketReasons.TCP_BAD_DATA_OFFSET));
  }

  @Test
  void tcpDataOffsetPastIpPayloadIsMalformed() {
    byte[] segment = tcp(1, 2, 3, 4, 0x10, NONE, new byte[8]);
    segment[12] = (byte) 0xf0; // 60 bytes > 28
    assertEquals(DecodeStatus.MALFORMED, raw(ipv4(6, segment)).status());
    assertEquals(1, sink.count(PacketReasons.TCP_HEADER_PAST_END));
  }

  @Test
  void tcpHeaderLongerThanIpPayloadIsMalformed() {
    byte[] ip = ipv4(6, new byte[12]);
    assertEquals(DecodeStatus.MALFORMED, raw(ip).status());
    assertEquals(1, sink.count(PacketReasons.TCP_HEADER_PAST_END));
  }

  @Test
  void udpBadLengthFallsBackToIpLength() {
    byte[] segment = udp(1, 2, new byte[20]);
    segment[5] = 4;
    DecodedPacket p = raw(ipv4(17, segment));
    assertEquals(DecodeStatus.OK, p.status());
    assertEquals(20, p.payloadLength());
    assertEquals(1, sink.count(PacketReasons.UDP_BAD_LENGTH));
  }

  @Test
  void otherProtocolPayloadIsIpPayload() {
    DecodedPacket p = raw(ipv4(1, new byte[] {8, 0, 0, 0, 0, 1, 0, 1, 'x'}));
    assertEquals(DecodeStatus.OK, p.status());
    assertEquals(1, p.protocol());
    assertEquals(9, p.payloadLength());
    assertEquals(-1, p.srcPort());
    assertFalse(p.isTcp());
  }

  @Test
  void decoderResetsFieldsBetweenRecords() {
    raw(ipv4(6, tcp(1, 2, 3, 4, 0x02, of().u8(2).u8(4).u16(1460).build(), NONE)));
    DecodedPacket p = raw(ipv4(17, udp(9, 10, NONE)));
    assertEquals(-1, p.tcpMss());
    assertEquals(-1, p.tcpSeq());
    assertTrue(p.isUdp());
  }
}
