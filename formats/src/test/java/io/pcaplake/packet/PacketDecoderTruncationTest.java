package io.pcaplake.packet;

import static io.pcaplake.packet.TestFrames.ethernet;
import static io.pcaplake.packet.TestFrames.ethernetVlan;
import static io.pcaplake.packet.TestFrames.ipv4;
import static io.pcaplake.packet.TestFrames.ipv6;
import static io.pcaplake.packet.TestFrames.of;
import static io.pcaplake.packet.TestFrames.tcp;
import static io.pcaplake.packet.TestFrames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cuts frames at every byte of their headers: the decoder never throws, and says TRUNCATED (or MALFORMED). */
class PacketDecoderTruncationTest {
  private static final byte[] TCP_OPTIONS = of().u8(2).u8(4).u16(1460).u8(1).u8(3).u8(3).u8(7).build();

  record Case(String name, int linkType, byte[] frame, int headersEnd) { }

  private static List<Case> cases() {
    byte[] tcp4 = ipv4(6, new byte[] {(byte) 0x94, 4, 0, 0}, 1, 0, tcp(1, 2, 3, 4, 0x12, TCP_OPTIONS, new byte[5]));
    byte[] hbh = of().u8(17).u8(0).zeros(6).build();
    byte[] udp6 = ipv6(0, hbh, udp(1, 2, new byte[5]));
    byte[] vlanTcp = ethernetVlan(new int[] {0x88a8, 1, 0x8100, 2}, 0x0800, tcp4);
    byte[] sll = of().u16(0).u16(1).u16(6).zeros(8).u16(0x86dd).bytes(udp6).build();
    return List.of(
        new Case("eth/ipv4+opts/tcp+opts", 1, ethernet(0x0800, tcp4), 14 + 24 + 28),
        new Case("eth/qinq/ipv4/tcp", 1, vlanTcp, 22 + 24 + 28),
        new Case("sll/ipv6+hbh/udp", 113, sll, 16 + 48 + 8),
        new Case("raw/ipv6+hbh/udp", 101, udp6, 48 + 8));
  }

  @Test
  void everyCaplenInsideHeadersIsTruncated() {
    for (Case c : cases()) {
      for (int caplen = 0; caplen < c.headersEnd; caplen++) {
        RecordingSink sink = new RecordingSink();
        DecodedPacket p = new PacketDecoder().decode(c.frame, 0, caplen, c.frame.length, c.linkType, 0L, 0L, sink);
        assertEquals(DecodeStatus.TRUNCATED, p.status(), c.name + " caplen " + caplen);
        assertEquals(List.of(PacketReasons.HEADER_CUT_BY_SNAPLEN), sink.reasons, c.name + " caplen " + caplen);
        assertEquals(0, p.payloadLength(), c.name + " caplen " + caplen);
      }
      RecordingSink sink = new RecordingSink();
      DecodedPacket p = new PacketDecoder().decode(c.frame, 0, c.headersEnd, c.frame.length, c.linkType, 0L, 0L, sink);
      assertEquals(DecodeStatus.OK, p.status(), c.name);
      assertEquals(0, p.payloadLength(), c.name);
      assertEquals(5, p.payloadWireLength(), c.name);
    }
  }

  @Test
  void fieldsDecodedSoFarAreKept() {
    byte[] frame = ethernet(0x0800, ipv4(6, tcp(1111, 2222, 3, 4, 0x10, new byte[0], new byte[50])));
    DecodedPacket p = new PacketDecoder().decode(frame, 0, 40, frame.length, 1, 0L, 0L, ProblemSinks.NONE);
    assertEquals(DecodeStatus.TRUNCATED, p.status());
    assertEquals("10.0.0.1", p.srcIp());
    assertEquals(6, p.protocol());
    assertEquals(1111, p.srcPort());
    assertEquals(2222, p.dstPort());
    assertEquals(-1, p.tcpSeq());
  }

  @Test
  void shortFrameNotCutBySnaplenIsTruncatedHeader() {
    byte[] frame = ethernet(0x0800, new byte[] {0x45, 0, 0, 40});
    RecordingSink sink = new RecordingSink();
    DecodedPacket p = new PacketDecoder().decode(frame, 0, frame.length, frame.length, 1, 0L, 0L, sink);
    assertEquals(DecodeStatus.TRUNCATED, p.status());
    assertEquals(List.of(PacketReasons.TRUNCATED_HEADER), sink.reasons);
  }

  @Test
  void randomBytesNeverThrow() {
    Random random = new Random(42);
    PacketDecoder decoder = new PacketDecoder();
    int[] linkTypes = {0, 1, 12, 101, 108, 113, 228, 229, 276, 9};
    for (int i = 0; i < 20_000; i++) {
      byte[] frame = new byte[random.nextInt(120)];
      random.nextBytes(frame);
      if (frame.length > 20 && random.nextBoolean()) {
        frame[12] = 0x08; // EtherType IPv4 so Ethernet frames reach the IP decoder
        frame[13] = 0;
        frame[14] = (byte) (0x40 | random.nextInt(16));
      }
      int lt = linkTypes[random.nextInt(linkTypes.length)];
      DecodedPacket p = decoder.decode(frame, 0, frame.length, frame.length + random.nextInt(3), lt, i, i, ProblemSinks.NONE);
      assertTrue(p.payloadLength() >= 0);
      assertTrue(p.payloadOffset() + p.payloadLength() <= p.buffer().length);
    }
  }
}
