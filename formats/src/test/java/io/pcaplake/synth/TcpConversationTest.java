package io.pcaplake.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.namednumber.TcpOptionKind;

class TcpConversationTest {
  static final int CPORT = 40001;

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static TcpConversation.Builder conv() {
    return TcpConversation.between(FramesTest.C4, CPORT, FramesTest.S4, 8000);
  }

  static void assertTimeOrdered(List<SynthPacket> ps) {
    for (int i = 1; i < ps.size(); i++) {
      assertTrue(ps.get(i).tsNanos() >= ps.get(i - 1).tsNanos(), "time order at " + i);
    }
  }

  @Test
  void handshakeDataAndFinReassembleToWhatWasSent() {
    byte[] req = bytes(3000, 1);
    byte[] resp = bytes(10_000, 2);
    TcpConversation c = conv().isn(1000, 5000).mss(1460).open();
    c.handshake().clientSends(req).serverSends(resp).fin();
    List<SynthPacket> ps = c.packets();
    assertTimeOrdered(ps);
    // 3 handshake + 3 req segments + ACK + 7 resp segments + ACK + FIN, ACK, FIN, ACK
    assertEquals(3 + 3 + 1 + 7 + 1 + 4, ps.size());
    TcpPacket syn = Oracle.checkedTcp(ps.get(0));
    assertTrue(syn.getHeader().getSyn());
    assertEquals(1000, syn.getHeader().getSequenceNumberAsLong());
    TcpPacket synAck = Oracle.checkedTcp(ps.get(1));
    assertEquals(1001, synAck.getHeader().getAcknowledgmentNumberAsLong());
    var conns = TestReassembler.reassemble(ps, CPORT);
    assertEquals(1, conns.size());
    assertArrayEquals(req, conns.get(0).client.contiguous());
    assertArrayEquals(resp, conns.get(0).server.contiguous());
    assertTrue(conns.get(0).client.fin && conns.get(0).server.fin);
    TcpPacket last = Oracle.checkedTcp(ps.get(ps.size() - 1));
    assertEquals((5000 + 1 + resp.length + 1), last.getHeader().getAcknowledgmentNumberAsLong());
  }

  @Test
  void sequenceNumbersWrapAround2To32() {
    byte[] data = bytes(5000, 3);
    TcpConversation c = conv().isn(0xffffffffL - 2000, 0xfffffffeL).timestamps(true).open();
    c.handshake().clientSends(data).serverSends(data).fin();
    var seqs = c.packets().stream().map(p -> Oracle.checkedTcp(p).getHeader().getSequenceNumberAsLong()).toList();
    assertTrue(seqs.stream().anyMatch(s -> s > 0xffff0000L) && seqs.stream().anyMatch(s -> s < 10_000));
    var conn = TestReassembler.reassemble(c.packets(), CPORT).get(0);
    assertArrayEquals(data, conn.client.contiguous());
    assertArrayEquals(data, conn.server.contiguous());
  }

  @Test
  void explicitSegmentSizesAreUsed() {
    byte[] data = bytes(100, 4);
    TcpConversation c = conv().open();
    c.handshake().send(Side.CLIENT, data, new int[] {1, 60, 39}, Impairment.NONE);
    var sizes = c.packets().stream().map(p -> Oracle.checkedTcp(p))
        .filter(t -> t.getPayload() != null).map(t -> t.getPayload().length()).toList();
    assertEquals(List.of(1, 60, 39), sizes);
    assertThrows(IllegalArgumentException.class, () -> c.send(Side.CLIENT, data, new int[] {50}, Impairment.NONE));
  }

  @Test
  void retransmitDuplicateReorderAndConflictStillReassembleFirstWins() {
    byte[] data = bytes(8 * 500, 5);
    TcpConversation c = conv().mss(500).open();
    Impairment imp = Impairment.retransmit(1).and(Impairment.duplicate(2)).and(Impairment.swap(3, 4))
        .and(Impairment.conflict(6));
    c.handshake().sends(Side.CLIENT, data, imp);
    var conn = TestReassembler.reassemble(c.packets(), CPORT).get(0);
    assertArrayEquals(data, conn.client.contiguous());
    assertEquals(500 + 500 + 500, conn.client.rewrites, "retransmit + duplicate + conflicting overlap");
    var seqs = c.packets().stream().map(p -> Oracle.checkedTcp(p))
        .filter(t -> t.getPayload() != null).map(t -> t.getHeader().getSequenceNumberAsLong() - 1001).toList();
    assertEquals(List.of(0L, 500L, 1000L, 1000L, 2000L, 1500L, 2500L, 3000L, 3000L, 3500L, 500L), seqs);
    assertTrue(c.current().gaps().isEmpty());
  }

  @Test
  void permutationWithinAWindow() {
    byte[] data = bytes(4 * 100, 6);
    TcpConversation c = conv().mss(100).open();
    c.handshake().sends(Side.SERVER, data, Impairment.order(2, 0, 3, 1));
    var conn = TestReassembler.reassemble(c.packets(), CPORT).get(0);
    assertArrayEquals(data, conn.server.contiguous());
    assertThrows(IllegalArgumentException.class, () -> c.sends(Side.SERVER, data, Impairment.order(0, 1)));
  }

  @Test
  void droppedSegmentLeavesAGapAtTheStatedOffset() {
    byte[] data = bytes(5 * 200, 7);
    TcpConversation c = conv().mss(200).open();
    c.handshake().sends(Side.CLIENT, data, Impairment.drop(2, 3).and(Impairment.retransmit(3)));
    assertEquals(List.of(new StreamGap(Side.CLIENT, 400, 200)), c.current().gaps());
    var conn = TestReassembler.reassemble(c.packets(), CPORT).get(0);
    assertArrayEquals(java.util.Arrays.copyOf(data, 400), conn.client.contiguous());
    byte[] holes = conn.client.withHoles((byte) 0);
    assertEquals(data.length, holes.length);
    assertArrayEquals(java.util.Arrays.copyOfRange(data, 600, 1000), java.util.Arrays.copyOfRange(holes, 600, 1000));
    TcpPacket ack = Oracle.checkedTcp(c.packets().get(c.packets().size() - 1));
    assertEquals(1001 + 1000, ack.getHeader().getAcknowledgmentNumberAsLong(), "the peer got everything");
  }

  @Test
  void midstreamStartHasNoSyn() {
    byte[] data = bytes(700, 8);
    TcpConversation c = conv().isn(123_456, 654_321).open();
    c.serverSends(data).clientSends(data);
    assertTrue(c.packets().stream().noneMatch(p -> Oracle.checkedTcp(p).getHeader().getSyn()));
    var conn = TestReassembler.reassemble(c.packets(), CPORT).get(0);
    assertFalse(conn.syn);
    assertArrayEquals(data, conn.server.contiguous());
    assertFalse(c.current().handshake());
  }

  @Test
  void portReuseStartsASecondConnectionOnTheSameTuple() {
    byte[] a = bytes(300, 9);
    byte[] b = bytes(400, 10);
    TcpConversation c = conv().isn(1000, 2000).open();
    c.handshake().clientSends(a).fin().idle(1_000_000_000L).newConnection(900_000, 800_000).handshake()
        .clientSends(b).rst(Side.SERVER);
    var conns = TestReassembler.reassemble(c.packets(), CPORT);
    assertEquals(2, conns.size());
    assertArrayEquals(a, conns.get(0).client.contiguous());
    assertArrayEquals(b, conns.get(1).client.contiguous());
    assertTrue(conns.get(1).server.rst);
    List<ConnectionTruth> truth = c.connections();
    assertEquals(2, truth.size());
    assertEquals(900_000, truth.get(1).clientIsn());
    assertArrayEquals(a, truth.get(0).clientBytes());
    assertNotEquals(conns.get(0).client.isn, conns.get(1).client.isn);
    assertTimeOrdered(c.packets());
  }

  @Test
  void halfCloseLetsThePeerKeepSending() {
    byte[] data = bytes(50, 11);
    TcpConversation c = conv().open();
    c.handshake().halfClose(Side.CLIENT).serverSends(data).halfClose(Side.SERVER);
    assertThrows(IllegalStateException.class, () -> c.clientSends(data));
    var conn = TestReassembler.reassemble(c.packets(), CPORT).get(0);
    assertArrayEquals(data, conn.server.contiguous());
    TcpPacket dataSeg = c.packets().stream().map(Oracle::checkedTcp).filter(t -> t.getPayload() != null)
        .findFirst().orElseThrow();
    assertEquals(1000 + 2, dataSeg.getHeader().getAcknowledgmentNumberAsLong(), "ACK covers the client FIN");
  }

  @Test
  void ipv6OverSll2WithVlanFreeLink() {
    byte[] data = bytes(2000, 12);
    TcpConversation c = TcpConversation.between(FramesTest.C6, CPORT, FramesTest.S6, 443)
        .link(Link.of(LinkTypes.LINUX_SLL2)).mss(1200).timestamps(true).open();
    c.handshake().clientSends(data).fin();
    assertTrue(c.packets().stream().allMatch(p -> p.linkType() == LinkTypes.LINUX_SLL2));
    var conn = TestReassembler.reassemble(c.packets(), CPORT).get(0);
    assertArrayEquals(data, conn.client.contiguous());
  }

  @Test
  void synCarriesNegotiationOptionsAndLaterSegmentsTimestamps() {
    TcpConversation c = conv().mss(1400).timestamps(true).open();
    c.handshake().clientSends(bytes(10, 13));
    var syn = Oracle.checkedTcp(c.packets().get(0)).getHeader().getOptions().stream().map(o -> o.getKind()).toList();
    assertTrue(syn.containsAll(List.of(TcpOptionKind.MAXIMUM_SEGMENT_SIZE, TcpOptionKind.SACK_PERMITTED,
        TcpOptionKind.TIMESTAMPS, TcpOptionKind.WINDOW_SCALE)), syn.toString());
    var data = Oracle.checkedTcp(c.packets().get(3)).getHeader().getOptions().stream().map(o -> o.getKind()).toList();
    assertTrue(data.contains(TcpOptionKind.TIMESTAMPS) && !data.contains(TcpOptionKind.MAXIMUM_SEGMENT_SIZE));
  }
}
