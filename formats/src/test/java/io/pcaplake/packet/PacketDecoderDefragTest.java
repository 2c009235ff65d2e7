package io.pcaplake.packet;

import static io.pcaplake.packet.TestFrames.ethernet;
import static io.pcaplake.packet.TestFrames.ethernetVlan;
import static io.pcaplake.packet.TestFrames.ipv4;
import static io.pcaplake.packet.TestFrames.ipv6;
import static io.pcaplake.packet.TestFrames.of;
import static io.pcaplake.packet.TestFrames.tcp;
import static io.pcaplake.packet.TestFrames.udp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketDecoderDefragTest {
  private static final long SECOND = 1_000_000_000L;
  private static final byte[] NONE = new byte[0];

  private final RecordingSink sink = new RecordingSink();
  private PacketDecoder decoder = new PacketDecoder();

  private static byte[] body(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 7 + 3);
    }
    return b;
  }

  /** Splits an IPv4 payload into Ethernet frames of fragments of {@code size} bytes (a multiple of 8). */
  private static byte[][] fragments4(int id, byte[] payload, int size) {
    int n = (payload.length + size - 1) / size;
    byte[][] frames = new byte[n][];
    for (int i = 0; i < n; i++) {
      int from = i * size;
      int to = Math.min(payload.length, from + size);
      int flags = (to < payload.length ? 0x2000 : 0) | from / 8;
      frames[i] = ethernet(0x0800, ipv4(17, NONE, id, flags, Arrays.copyOfRange(payload, from, to)));
    }
    return frames;
  }

  private static byte[] fragment6(long id, int offset, boolean more, byte[] data) {
    byte[] header = of().u8(17).u8(0).u16(offset | (more ? 1 : 0)).u32(id).build();
    byte[] hopByHop = of().u8(44).u8(0).zeros(6).build();
    return ethernet(0x86dd, ipv6(0, TestFrames.concat(hopByHop, header), data));
  }

  private DecodedPacket decode(byte[] frame, long ts) {
    return decoder.decode(frame, 0, frame.length, frame.length, 1, ts, ts, sink);
  }

  private void assertReassembledUdp(DecodedPacket p, byte[] datagram) {
    assertEquals(DecodeStatus.OK, p.status());
    assertTrue(p.reassembled());
    assertTrue(p.fragment());
    assertEquals(4000, p.srcPort());
    assertEquals(53, p.dstPort());
    assertEquals(datagram.length - 8, p.payloadLength());
    assertEquals(datagram.length - 8, p.payloadWireLength());
    assertArrayEquals(Arrays.copyOfRange(datagram, 8, datagram.length),
        Arrays.copyOfRange(p.buffer(), p.payloadOffset(), p.payloadOffset() + p.payloadLength()));
  }

  @Test
  void inOrderIpv4() {
    byte[] datagram = udp(4000, 53, body(3000));
    byte[][] frames = fragments4(77, datagram, 1480);
    assertEquals(3, frames.length);
    for (int i = 0; i < 2; i++) {
      DecodedPacket p = decode(frames[i], i);
      assertEquals(DecodeStatus.FRAGMENT, p.status());
      assertTrue(p.fragment());
      assertEquals("10.0.0.1", p.srcIp());
      assertEquals(i * 1480, p.fragmentOffset());
      assertTrue(p.moreFragments());
      assertEquals(-1, p.srcPort());
    }
    DecodedPacket p = decode(frames[2], 2);
    assertReassembledUdp(p, datagram);
    assertNotSame(frames[2], p.buffer());
    assertEquals("10.0.0.2", p.dstIp());
    assertEquals(77, p.ipId());
    assertEquals(0, decoder.defragmenter().inFlight());
    assertTrue(sink.reasons.isEmpty(), sink.reasons.toString());
  }

  @Test
  void reassembledTcpSegment() {
    byte[] segment = tcp(4000, 53, 123456, 654321, 0x18, NONE, body(2000));
    byte[][] frames = new byte[2][];
    frames[0] = ethernet(0x0800, ipv4(6, NONE, 5, 0x2000, Arrays.copyOfRange(segment, 0, 1000)));
    frames[1] = ethernet(0x0800, ipv4(6, NONE, 5, 1000 / 8, Arrays.copyOfRange(segment, 1000, segment.length)));
    assertEquals(DecodeStatus.FRAGMENT, decode(frames[1], 0).status());
    DecodedPacket p = decode(frames[0], 0);
    assertEquals(DecodeStatus.OK, p.status());
    assertTrue(p.isTcp());
    assertEquals(123456, p.tcpSeq());
    assertEquals(2000, p.payloadWireLength());
  }

  @Test
  void outOfOrderIpv4() {
    byte[] datagram = udp(4000, 53, body(5000));
    byte[][] frames = fragments4(9, datagram, 1024);
    int[] order = {3, 0, 4, 2, 1};
    for (int i = 0; i < order.length - 1; i++) {
      assertEquals(DecodeStatus.FRAGMENT, decode(frames[order[i]], i).status());
    }
    assertReassembledUdp(decode(frames[order[4]], 5), datagram);
  }

  @Test
  void outOfOrderIpv6WithHopByHopBeforeFragmentHeader() {
    byte[] datagram = udp(4000, 53, body(2500));
    byte[] last = fragment6(0xdeadbeefL, 2048, false, Arrays.copyOfRange(datagram, 2048, datagram.length));
    byte[] middle = fragment6(0xdeadbeefL, 1024, true, Arrays.copyOfRange(datagram, 1024, 2048));
    byte[] first = fragment6(0xdeadbeefL, 0, true, Arrays.copyOfRange(datagram, 0, 1024));
    DecodedPacket p = decode(last, 0);
    assertEquals(DecodeStatus.FRAGMENT, p.status());
    assertEquals(6, p.ipVersion());
    assertEquals(17, p.protocol());
    assertEquals(0xdeadbeefL, p.ipId());
    assertEquals(DecodeStatus.FRAGMENT, decode(first, 1).status());
    p = decode(middle, 2);
    assertReassembledUdp(p, datagram);
    assertEquals(6, p.ipVersion());
    assertEquals(-1, p.fragmentOffset()); // the reassembled datagram has no fragment header
  }

  @Test
  void overlapWithDifferentBytesIsReportedAndFirstBytesKept() {
    byte[] datagram = udp(4000, 53, body(2000));
    byte[][] frames = fragments4(3, datagram, 1024);
    byte[] conflicting = datagram.clone();
    conflicting[1030] ^= 0x55;
    // [512, 1536) overlaps both fragments; its byte at 1030 differs from the second fragment's.
    byte[] overlap = ethernet(0x0800, ipv4(17, NONE, 3, 0x2000 | 512 / 8, Arrays.copyOfRange(conflicting, 512, 1536)));
    assertEquals(DecodeStatus.FRAGMENT, decode(frames[1], 0).status());
    assertEquals(DecodeStatus.FRAGMENT, decode(overlap, 1).status());
    assertEquals(List.of(PacketReasons.FRAGMENT_OVERLAP), sink.reasons);
    assertReassembledUdp(decode(frames[0], 2), datagram);
  }

  @Test
  void duplicateFragmentIsNotAnOverlapConflict() {
    byte[] datagram = udp(4000, 53, body(2000));
    byte[][] frames = fragments4(4, datagram, 1024);
    assertEquals(DecodeStatus.FRAGMENT, decode(frames[0], 0).status());
    assertEquals(DecodeStatus.FRAGMENT, decode(frames[0], 1).status());
    assertReassembledUdp(decode(frames[1], 2), datagram);
    assertTrue(sink.reasons.isEmpty(), sink.reasons.toString());
  }

  @Test
  void neverCompletedTimesOutInCaptureTime() {
    decoder = new PacketDecoder(DecoderLimits.DEFAULTS.withFragmentTimeoutNanos(30 * SECOND));
    byte[][] frames = fragments4(5, udp(4000, 53, body(2000)), 1024);
    byte[] other = ethernet(0x0800, ipv4(17, udp(1, 2, NONE)));
    long t0 = 1_700_000_000L * SECOND;
    assertEquals(DecodeStatus.FRAGMENT, decode(frames[0], t0).status());
    decode(other, t0 + 30 * SECOND);
    assertTrue(sink.reasons.isEmpty());
    assertEquals(1, decoder.defragmenter().inFlight());
    // Timeouts run on fragment arrivals only: other records do not move the defragmenter's clock.
    decode(other, t0 + 31 * SECOND);
    assertTrue(sink.reasons.isEmpty(), sink.reasons.toString());
    assertEquals(1, decoder.defragmenter().inFlight());
    // The late last fragment times the datagram out and no longer completes anything.
    assertEquals(DecodeStatus.FRAGMENT, decode(frames[1], t0 + 32 * SECOND).status());
    assertEquals(List.of(PacketReasons.FRAGMENT_INCOMPLETE), sink.reasons);
    assertTrue(sink.details.get(0).contains("timed out"), sink.details.get(0));
    assertEquals(1, decoder.defragmenter().inFlight());
    decoder.flush(sink);
    assertEquals(2, sink.count(PacketReasons.FRAGMENT_INCOMPLETE));
    assertEquals(0, decoder.defragmenter().inFlight());
  }

  @Test
  void vlanIsPartOfTheKey() {
    byte[] datagram = udp(4000, 53, body(2000));
    byte[] first = ethernetVlan(new int[] {0x8100, 10}, 0x0800, ipv4(17, NONE, 6, 0x2000, Arrays.copyOf(datagram, 1024)));
    byte[] second = ethernetVlan(new int[] {0x8100, 11}, 0x0800,
        ipv4(17, NONE, 6, 1024 / 8, Arrays.copyOfRange(datagram, 1024, datagram.length)));
    assertEquals(DecodeStatus.FRAGMENT, decode(first, 0).status());
    assertEquals(DecodeStatus.FRAGMENT, decode(second, 0).status());
    assertEquals(2, decoder.defragmenter().inFlight());
  }

  @Test
  void fragmentBeyond65535IsDropped() {
    byte[] frame = ethernet(0x0800, ipv4(17, NONE, 8, 65528 / 8, new byte[100]));
    assertEquals(DecodeStatus.FRAGMENT, decode(frame, 0).status());
    assertEquals(List.of(PacketReasons.FRAGMENT_TOO_LARGE), sink.reasons);
    assertEquals(0, decoder.defragmenter().inFlight());
  }

  @Test
  void inconsistentLastFragmentIsDropped() {
    byte[] a = ethernet(0x0800, ipv4(17, NONE, 8, 1024 / 8, new byte[100]));
    byte[] b = ethernet(0x0800, ipv4(17, NONE, 8, 2048 / 8, new byte[100]));
    decode(a, 0);
    decode(b, 0);
    assertEquals(List.of(PacketReasons.FRAGMENT_INCONSISTENT_LENGTH), sink.reasons);
  }

  @Test
  void floodOfIncompleteDatagramsStaysWithinDatagramBound() {
    decoder = new PacketDecoder(new DecoderLimits(64, 65535, 1L << 20, 30 * SECOND));
    for (int id = 0; id < 10_000; id++) {
      decode(ethernet(0x0800, ipv4(17, NONE, id, 0x2000, new byte[1480])), id);
      assertTrue(decoder.defragmenter().inFlight() <= 64);
    }
    assertEquals(64, decoder.defragmenter().inFlight());
    assertEquals(10_000 - 64, sink.count(PacketReasons.FRAGMENT_INCOMPLETE));
    assertTrue(sink.details.get(0).contains("in flight"), sink.details.get(0));
  }

  @Test
  void floodOfLargeDatagramsStaysWithinByteBudget() {
    long budget = 256 * 1024;
    decoder = new PacketDecoder(new DecoderLimits(10_000, 65535, budget, 30 * SECOND));
    for (int id = 0; id < 2_000; id++) {
      // A fragment at the far end of a 64 KiB datagram forces a large buffer.
      decode(ethernet(0x0800, ipv4(17, NONE, id, 0x2000 | 60_000 / 8, new byte[1480])), id);
      assertTrue(decoder.defragmenter().bytesHeld() <= budget, "held " + decoder.defragmenter().bytesHeld());
    }
    assertTrue(decoder.defragmenter().inFlight() <= budget / 60_000);
    assertTrue(sink.count(PacketReasons.FRAGMENT_INCOMPLETE) >= 2_000 - budget / 60_000);
  }

  @Test
  void unfragmentedPacketsDoNotTouchTheTable() {
    decode(ethernet(0x0800, ipv4(17, NONE, 1, 0x4000, udp(1, 2, NONE))), 0); // DF set
    assertEquals(0, decoder.defragmenter().inFlight());
    assertFalse(decoder.decode(ethernet(0x0800, ipv4(17, udp(1, 2, NONE))), 0, 42, 42, 1, 0, 0, sink).fragment());
  }
}
