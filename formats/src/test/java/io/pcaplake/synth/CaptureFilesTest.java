package io.pcaplake.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureFilesTest {
  static List<SynthPacket> packets() {
    byte[] ip = Ipv4Header.of(FramesTest.C4, FramesTest.S4).wrap(Frames.PROTO_UDP,
        Frames.udp(Ipv4Header.of(FramesTest.C4, FramesTest.S4), 1, 2, new byte[] {1, 2, 3}));
    return List.of(SynthPacket.of(1_700_000_000_123_456_000L, LinkTypes.ETHERNET, Link.of(LinkTypes.ETHERNET).frame(ip)),
        SynthPacket.of(1_700_000_001_000_001_000L, LinkTypes.ETHERNET, Link.of(LinkTypes.ETHERNET).frame(ip))
            .truncated(20));
  }

  @Test
  void everyFormatRoundTrips() {
    for (Format f : Format.values()) {
      List<SynthPacket> back = Oracle.read(CaptureFiles.bytes(f, packets()));
      assertEquals(2, back.size(), f.name());
      for (int i = 0; i < 2; i++) {
        assertEquals(packets().get(i).tsNanos(), back.get(i).tsNanos(), f.name());
        assertArrayEquals(packets().get(i).frame(), back.get(i).frame(), f.name());
        assertEquals(packets().get(i).origlen(), back.get(i).origlen(), f.name());
        assertEquals(LinkTypes.ETHERNET, back.get(i).linkType());
      }
    }
  }

  @Test
  void magicNumbersAndHeaders() {
    byte[] pcap = CaptureFiles.bytes(Format.PCAP, packets());
    assertArrayEquals(new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1}, java.util.Arrays.copyOf(pcap, 4));
    byte[] be = CaptureFiles.bytes(Format.PCAP_BE, packets());
    assertArrayEquals(new byte[] {(byte) 0xa1, (byte) 0xb2, (byte) 0xc3, (byte) 0xd4}, java.util.Arrays.copyOf(be, 4));
    byte[] ns = CaptureFiles.bytes(Format.PCAP_NS, packets());
    assertArrayEquals(new byte[] {0x4d, 0x3c, (byte) 0xb2, (byte) 0xa1}, java.util.Arrays.copyOf(ns, 4));
    byte[] ng = CaptureFiles.bytes(Format.PCAPNG, packets());
    assertArrayEquals(new byte[] {0x0a, 0x0d, 0x0d, 0x0a}, java.util.Arrays.copyOf(ng, 4));
    assertEquals(0, ng.length % 4);
    // the IDB after the 28-byte SHB: Ethernet, snaplen 262144, if_tsresol (9) of 1 byte = 9 (nanoseconds)
    java.nio.ByteBuffer idb = java.nio.ByteBuffer.wrap(ng, 28, 32).slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertEquals(1, idb.getInt(0));
    assertEquals(LinkTypes.ETHERNET, idb.getShort(8));
    assertEquals(262_144, idb.getInt(12));
    assertEquals(9, idb.getShort(16));
    assertEquals(1, idb.getShort(18));
    assertEquals(9, idb.get(20));
  }

  @Test
  void pcapngTakesMixedLinkTypesClassicPcapDoesNot() {
    byte[] ip = Ipv4Header.of(FramesTest.C4, FramesTest.S4).wrap(Frames.PROTO_UDP, new byte[8]);
    List<SynthPacket> mixed = List.of(SynthPacket.of(1, LinkTypes.ETHERNET, Link.of(LinkTypes.ETHERNET).frame(ip)),
        SynthPacket.of(2, LinkTypes.LINUX_SLL2, Link.of(LinkTypes.LINUX_SLL2).frame(ip)));
    List<SynthPacket> back = Oracle.read(CaptureFiles.bytes(Format.PCAPNG, mixed));
    assertEquals(List.of(LinkTypes.ETHERNET, LinkTypes.LINUX_SLL2), back.stream().map(SynthPacket::linkType).toList());
    assertThrows(IllegalArgumentException.class, () -> CaptureFiles.bytes(Format.PCAP, mixed));
  }
}
