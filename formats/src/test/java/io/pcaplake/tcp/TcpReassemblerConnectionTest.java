package io.pcaplake.tcp;

import static io.pcaplake.tcp.Feed.bytes;
import static io.pcaplake.tcp.Feed.conv;
import static io.pcaplake.tcp.Raw.A;
import static io.pcaplake.tcp.Raw.F;
import static io.pcaplake.tcp.Raw.P;
import static io.pcaplake.tcp.Raw.R;
import static io.pcaplake.tcp.Raw.S;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.synth.Impairment;
import io.pcaplake.synth.Side;
import io.pcaplake.synth.SynthPacket;
import io.pcaplake.synth.TcpConversation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Connection life: states, history, roles, port reuse, FIN/RST, truncation and the reorder limits. */
class TcpReassemblerConnectionTest {
  static final byte[] GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi".getBytes(StandardCharsets.US_ASCII);

  static FlowSummary summary(Raw r) {
    return r.run().only().summary;
  }

  @Test
  void s0SynOnlyWithRetransmission() {
    FlowSummary s = summary(Raw.standard().c(100, 0, S).idle(1_000_000_000).c(100, 0, S));
    assertEquals("S0", s.connState());
    assertEquals("S", s.history());
    assertEquals(2, s.client().packets());
    assertTrue(s.synSeen());
  }

  @Test
  void rejWhenTheServerResets() {
    FlowSummary s = summary(Raw.standard().c(100, 0, S).s(0, 101, R | A));
    assertEquals("REJ", s.connState());
    assertEquals("Sr", s.history());
    assertTrue(s.rstSeen());
  }

  @Test
  void rstosZeroWhenTheClientGivesUp() {
    FlowSummary s = summary(Raw.standard().c(100, 0, S).c(101, 0, R));
    assertEquals("RSTOS0", s.connState());
    assertEquals("SR", s.history());
  }

  @Test
  void shWhenSynThenFinWithoutReply() {
    assertEquals("SH", summary(Raw.standard().c(100, 0, S).c(101, 0, F | A)).connState());
  }

  @Test
  void establishedStates() {
    Raw hs = Raw.standard().c(100, 0, S).s(500, 101, S | A).c(101, 501, A).c(101, 501, P | A, GET);
    assertEquals("S1", summary(hs).connState());
    assertEquals("ShAD", summary(hs).history());
    Raw r = Raw.standard().c(100, 0, S).s(500, 101, S | A).c(101, 501, A).c(101, 501, P | A, GET)
        .c(101 + GET.length, 501, R | A);
    assertEquals("RSTO", summary(r).connState());
    Raw rr = Raw.standard().c(100, 0, S).s(500, 101, S | A).c(101, 501, A).s(501, 101, R | A);
    assertEquals("RSTR", summary(rr).connState());
    Raw s2 = Raw.standard().c(100, 0, S).s(500, 101, S | A).c(101, 501, A).c(101, 501, F | A);
    assertEquals("S2", summary(s2).connState());
    Raw s3 = Raw.standard().c(100, 0, S).s(500, 101, S | A).c(101, 501, A).s(501, 101, F | A);
    assertEquals("S3", summary(s3).connState());
  }

  @Test
  void synAckFirstFlipsRoles() {
    // capture starts at the SYN-ACK: its sender is the server; history starts with ^ as in Zeek
    FlowSummary s = summary(Raw.standard().s(500, 101, S | A).c(101, 501, A).c(101, 501, P | A, GET)
        .s(501, 101 + GET.length, P | A, OK));
    assertEquals(RoleDecision.SYN_ACK, s.info().roleDecision());
    assertEquals(Feed.CPORT, s.info().clientPort());
    assertTrue(s.info().flipped());
    assertEquals("^hADd", s.history());
    assertEquals(GET.length, s.client().bytes());
    assertEquals(OK.length, s.server().bytes());
  }

  @Test
  void rstrhWhenOnlySynAckAndReset() {
    FlowSummary s = summary(Raw.standard().s(500, 101, S | A).s(501, 101, R));
    assertEquals("RSTRH", s.connState());
    assertEquals("SHR", summary(Raw.standard().s(500, 101, S | A).s(501, 101, F | A)).connState());
  }

  @Test
  void midstreamResponseFirstIsDecidedByThePayload() {
    // both ports ephemeral-ish: only the payload can tell; the server's response is the first packet
    Raw r = new Raw(Feed.CLIENT, 50123, Feed.SERVER, 45000)
        .s(9000, 7000, P | A, OK).c(7000, 9000 + OK.length, P | A, GET).s(9000 + OK.length, 7000 + GET.length, A);
    Recorder.Conn c = r.run().only();
    FlowSummary s = c.summary;
    assertEquals(RoleDecision.PAYLOAD, s.info().roleDecision());
    assertEquals(50123, s.info().clientPort());
    assertTrue(s.info().flipped());
    assertEquals("OTH", s.connState());
    assertEquals("^dDa", s.history());
    assertArrayEquals(GET, c.client());
    assertArrayEquals(OK, c.server());
    assertFalse(s.synSeen());
  }

  @Test
  void midstreamWithoutHttpIsDecidedByPortsOrFirstPacket() {
    byte[] junk = {1, 2, 3, 4};
    FlowSummary p = summary(Raw.standard().s(9000, 7000, P | A, junk).c(7000, 9004, A));
    assertEquals(RoleDecision.PORTS, p.info().roleDecision());
    assertEquals(Feed.CPORT, p.info().clientPort());
    assertEquals(4, p.server().bytes());
    FlowSummary f = summary(new Raw(Feed.CLIENT, 50123, Feed.SERVER, 45000).s(9000, 7000, P | A, junk));
    assertEquals(RoleDecision.FIRST_PACKET, f.info().roleDecision());
    assertEquals(45000, f.info().clientPort());
    assertFalse(f.info().flipped());
  }

  @Test
  void midstreamConversationWithGapsMatchesTruth() {
    byte[] a = bytes(5000, 20);
    byte[] b = bytes(9000, 21);
    TcpConversation c = conv().isn(123456789L, 987654321L).open();
    c.clientSends(a).send(Side.SERVER, b, Feed.chunks(b.length, 1000), Impairment.drop(4)).fin();
    Recorder.Conn got = Feed.run(c.packets()).only();
    assertArrayEquals(Feed.expectedBytes(c.current(), Side.CLIENT), got.client());
    assertArrayEquals(Feed.expectedBytes(c.current(), Side.SERVER), got.server());
    assertEquals(1000, got.summary.missingBytes());
    assertEquals("SF", got.summary.connState()); // Zeek: both FINs close a mid-stream connection too
  }

  @Test
  void portReuseStartsConnectionOneAfterFinAndAfterRst() {
    byte[] r1 = bytes(3000, 30);
    byte[] r2 = bytes(4000, 31);
    TcpConversation c = conv().isn(1000, 5000).open();
    c.handshake().clientSends(GET).serverSends(r1).fin().idle(1_000_000_000L)
        .newConnection(0x7fff0000L, 0x12345L).handshake().clientSends(GET).serverSends(r2).rst(Side.CLIENT)
        .newConnection(0x1000L, 0x2000L).handshake().clientSends(GET).fin();
    Recorder rec = Feed.run(c.packets());
    assertEquals(3, rec.conns.size());
    for (int i = 0; i < 3; i++) {
      Recorder.Conn got = rec.conns.get(i);
      assertEquals(i, got.summary.connectionIndex());
      assertArrayEquals(c.connections().get(i).clientBytes(), got.client(), "client " + i);
      assertArrayEquals(c.connections().get(i).serverBytes(), got.server(), "server " + i);
      assertEquals(0, got.summary.missingBytes());
      assertEquals(RoleDecision.SYN, got.summary.info().roleDecision());
    }
    assertEquals("SF", rec.conns.get(0).summary.connState());
    assertEquals("RSTO", rec.conns.get(1).summary.connState());
    assertEquals("SF", rec.conns.get(2).summary.connState());
  }

  @Test
  void synFarFromAMidstreamStreamStartsANewConnection() {
    Raw r = Raw.standard().c(7000, 9000, P | A, GET).s(9000, 7000 + GET.length, A)
        .c(0x80000000L, 0, S).s(0x100, 0x80000001L, S | A).c(0x80000001L, 0x101, A);
    Recorder rec = r.run();
    assertEquals(2, rec.conns.size());
    assertEquals(1, rec.conns.get(1).summary.connectionIndex());
    assertEquals("ShA", rec.conns.get(1).summary.history());
    assertEquals("S1", rec.conns.get(1).summary.connState());
  }

  @Test
  void synInsideConnectionIsReportedAndIgnored() {
    Raw r = Raw.standard().c(7000, 9000, P | A, GET).c(7000 + GET.length + 10, 0, S);
    Recorder.Conn c = r.run().only();
    assertEquals(1, c.count(TcpReasons.SYN_INSIDE_CONNECTION));
  }

  @Test
  void dataAfterFinIsDroppedAndDataAfterRstReported() {
    Raw r = Raw.standard().c(100, 0, S).s(500, 101, S | A).c(101, 501, A).c(101, 501, P | A, GET)
        .c(101 + GET.length, 501, F | A).c(102 + GET.length, 501, P | A, GET);
    Recorder.Conn c = r.run().only();
    assertArrayEquals(GET, c.client());
    assertEquals(1, c.count(TcpReasons.DATA_AFTER_FIN));

    Raw rst = Raw.standard().c(100, 0, S).s(500, 101, S | A).c(101, 501, A).s(501, 101, R | A)
        .c(101, 501, P | A, GET);
    Recorder.Conn d = rst.run().only();
    assertArrayEquals(GET, d.client());
    assertEquals(1, d.count(TcpReasons.DATA_AFTER_RST));
  }

  @Test
  void truncatedPayloadCountsMissingBytes() {
    byte[] resp = bytes(3000, 40);
    TcpConversation c = conv().open();
    c.handshake().clientSends(GET).serverSends(resp).fin();
    List<SynthPacket> cut = new ArrayList<>();
    for (SynthPacket p : c.packets()) {
      cut.add(p.truncated(14 + 20 + 20 + 100)); // snaplen: headers and 100 payload bytes
    }
    Recorder.Conn got = Feed.run(cut).only();
    FlowSummary s = got.summary;
    // 3 segments of 1460, 1460, 80: 100 + 100 + 80 captured
    assertEquals(280, s.server().bytes());
    assertEquals(3000 - 280, s.server().missingBytes());
    assertEquals(List.of(new Recorder.Gap(100, 1360), new Recorder.Gap(1560, 1360)), got.serverGaps());
    assertEquals(1, got.count(TcpReasons.TRUNCATED_PAYLOAD));
    assertArrayEquals(GET, got.client());
  }

  @Test
  void reorderByteLimitDeclaresTheGapEarly() {
    byte[] data = bytes(20_000, 50);
    TcpConversation c = conv().open();
    c.handshake().send(Side.SERVER, data, Feed.chunks(data.length, 1000), Impairment.drop(2)).fin();
    TcpLimits small = TcpLimits.DEFAULTS.withReorder(4000, 1024, 10_000_000_000L);
    Recorder r = Feed.run(c.packets(), small);
    Recorder.Conn got = r.only();
    assertEquals(List.of(new Recorder.Gap(2000, 1000)), got.serverGaps());
    assertEquals(1, got.count(TcpReasons.REORDER_WINDOW_EXCEEDED));
    assertArrayEquals(Feed.expectedBytes(c.current(), Side.SERVER), got.server());
  }

  @Test
  void reorderTimeLimitDeclaresTheGapAfterItsTime() {
    // a hole, then data above it; 2 s later the other side talks: a 1 s limit gives the hole up then
    Raw r = Raw.standard().c(100, 0, S).s(500, 101, S | A).c(101, 501, A)
        .c(111, 501, P | A, new byte[10]).idle(2_000_000_000L).s(501, 101, P | A, OK);
    Recorder.Conn c = r.run(TcpLimits.DEFAULTS.withReorder(1 << 20, 1024, 1_000_000_000L)).only();
    assertEquals(List.of(new Recorder.Gap(0, 10)), c.clientGaps());
    assertEquals(0, c.count(TcpReasons.REORDER_WINDOW_EXCEEDED));
  }

  @Test
  void inconsistentFlagsAreHistoryAndAnomalies() {
    Recorder.Conn c = Raw.standard().c(100, 0, S | F).s(500, 101, R | F).run().only();
    assertEquals(2, c.count(TcpReasons.INCONSISTENT_FLAGS));
    assertTrue(c.summary.history().contains("Q") && c.summary.history().contains("i"), c.summary.history());
  }

  @Test
  void endOfInputFlushesHeldDataAfterItsGap() {
    byte[] ten = bytes(10, 60);
    Recorder.Conn c = Raw.standard().c(100, 0, S).s(500, 101, S | A).c(101, 501, A)
        .c(111, 501, P | A, ten).c(121, 501, P | A, ten).run().only();
    assertEquals(List.of(new Recorder.Gap(0, 10)), c.clientGaps());
    assertEquals(20, c.summary.client().bytes());
    assertEquals(2, c.summary.client().outOfOrderCount());
    assertEquals("S1", c.summary.connState());
    assertTrue(c.summary.history().contains("G"), c.summary.history());
  }

  @Test
  void largeOffloadSegmentsAndTinyOnesMix() {
    byte[] big = bytes(60_000, 61); // one 60000-byte segment as a send-side (TSO) capture shows it
    Recorder.Conn c = Raw.standard().c(100, 0, S).s(500, 101, S | A).c(101, 501, A)
        .s(501, 101, A, big).s(501 + 60_000, 101, A, new byte[] {1}).s(501, 101, A, java.util.Arrays.copyOf(big, 5))
        .run().only();
    byte[] want = java.util.Arrays.copyOf(big, 60_001);
    want[60_000] = 1;
    assertArrayEquals(want, c.server());
    assertEquals(5, c.summary.server().retransmittedBytes());
  }

  @Test
  void retransmissionOlderThanTheCompareWindowIsCountedNotCompared() {
    byte[] data = bytes(5000, 62);
    byte[] other = bytes(100, 63);
    Recorder.Conn c = Raw.standard().c(100, 0, S).s(500, 101, S | A).c(101, 501, A)
        .s(501, 101, A, data).s(501, 101, A, other) // differs from bytes 0..99, but they are out of the window
        .run(TcpLimits.DEFAULTS.withCompareBytes(1024)).only();
    assertEquals(100, c.summary.server().retransmittedBytes());
    assertEquals(0, c.summary.overlapConflicts());
    Recorder.Conn d = Raw.standard().c(100, 0, S).s(500, 101, S | A).c(101, 501, A)
        .s(501, 101, A, data).s(501 + 4950, 101, A, other).run(TcpLimits.DEFAULTS.withCompareBytes(1024)).only();
    assertEquals(1, d.summary.overlapConflicts()); // overlaps the last 50 bytes (compared) and extends 50 bytes
    assertEquals(5050, d.summary.server().bytes());
  }
}
