package io.pcaplake.tcp;

import static io.pcaplake.tcp.Feed.bytes;
import static io.pcaplake.tcp.Feed.chunks;
import static io.pcaplake.tcp.Feed.conv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.synth.ConnectionTruth;
import io.pcaplake.synth.Impairment;
import io.pcaplake.synth.Side;
import io.pcaplake.synth.TcpConversation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bytes and counters under segmentation, reordering, duplication, loss and conflicting overlaps. */
class TcpReassemblerStreamTest {
  static final byte[] REQUEST = ("GET /api/transactions?limit=10 HTTP/1.1\r\nHost: api.local:8000\r\n"
      + "Authorization: Bearer abc.def.ghi\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  static void assertMatchesTruth(Recorder.Conn c, ConnectionTruth t) {
    assertArrayEquals(Feed.expectedBytes(t, Side.CLIENT), c.client(), "client bytes");
    assertArrayEquals(Feed.expectedBytes(t, Side.SERVER), c.server(), "server bytes");
    assertEquals(Feed.expectedGaps(t, Side.CLIENT), c.clientGaps(), "client gaps");
    assertEquals(Feed.expectedGaps(t, Side.SERVER), c.serverGaps(), "server gaps");
    long missing = t.gaps().stream().mapToLong(g -> g.length()).sum();
    assertEquals(missing, c.summary.missingBytes(), "missing bytes");
  }

  @Test
  void everySegmentSizeGivesTheSameStreams() {
    byte[] resp = bytes(300, 5);
    for (int size = 1; size <= REQUEST.length; size++) {
      TcpConversation c = conv().open();
      c.handshake().send(Side.CLIENT, REQUEST, chunks(REQUEST.length, size), Impairment.NONE)
          .send(Side.SERVER, resp, chunks(resp.length, Math.max(1, size * 3)), Impairment.NONE).fin();
      Recorder.Conn got = Feed.run(c.packets()).only();
      assertMatchesTruth(got, c.current());
      FlowSummary s = got.summary;
      assertEquals(0, s.retransmittedBytes(), "size " + size);
      assertEquals(0, s.outOfOrderCount());
      assertEquals(0, s.overlapConflicts());
      assertEquals(REQUEST.length, s.client().bytes());
      assertEquals(resp.length, s.server().bytes());
      assertEquals("SF", s.connState());
      assertEquals("ShADadFf", s.history());
      assertEquals(RoleDecision.SYN, s.info().roleDecision());
      assertEquals(Feed.CPORT, s.info().clientPort());
      assertEquals(Feed.SPORT, s.info().serverPort());
    }
  }

  static void permutations(int[] a, int k, List<int[]> out) {
    if (k == a.length) {
      out.add(a.clone());
      return;
    }
    for (int i = k; i < a.length; i++) {
      int t = a[k];
      a[k] = a[i];
      a[i] = t;
      permutations(a, k + 1, out);
      a[i] = a[k];
      a[k] = t;
    }
  }

  @Test
  void everyOrderWithinTheWindowGivesTheSameStreams() {
    byte[] resp = bytes(600, 6);
    int[] sizes = {17, 1, 100, 33, 2, 47};
    List<int[]> orders = new ArrayList<>();
    permutations(new int[] {0, 1, 2, 3, 4, 5}, 0, orders);
    assertEquals(720, orders.size());
    for (int[] order : orders) {
      TcpConversation c = conv().isn(0xffffff00L, 0xfffffff0L).open(); // both directions wrap inside the flight
      c.handshake().clientSends(REQUEST).send(Side.SERVER, resp, new int[] {100, 50, 150, 100, 100, 100},
          Impairment.order(order));
      c.send(Side.CLIENT, bytes(200, 7), sizes, Impairment.order(order)).fin();
      Recorder.Conn got = Feed.run(c.packets()).only();
      assertMatchesTruth(got, c.current());
      FlowSummary s = got.summary;
      assertEquals(0, s.retransmittedBytes());
      assertEquals(0, s.missingBytes());
      long expectedHeld = 0;
      int max = -1;
      for (int i : order) {
        if (i < max) {
          continue;
        }
        if (i != max + 1) {
          expectedHeld++;
        }
        max = i;
      }
      assertTrue(s.outOfOrderCount() >= 2 * expectedHeld, "held segments for " + java.util.Arrays.toString(order));
      assertEquals("SF", s.connState());
    }
  }

  @Test
  void duplicatesAndRetransmissionsAreCountedAndDropped() {
    byte[] resp = bytes(1000, 8);
    int[] sizes = {100, 200, 300, 400};
    for (int i = 0; i < sizes.length; i++) {
      TcpConversation c = conv().open();
      c.handshake().clientSends(REQUEST)
          .send(Side.SERVER, resp, sizes, Impairment.duplicate(i).and(Impairment.retransmit((i + 1) % 4))).fin();
      Recorder.Conn got = Feed.run(c.packets()).only();
      assertMatchesTruth(got, c.current());
      assertEquals(sizes[i] + sizes[(i + 1) % 4], got.summary.server().retransmittedBytes());
      assertEquals(0, got.summary.overlapConflicts());
      assertEquals("ShADadtFf", got.summary.history());
    }
  }

  @Test
  void droppedSegmentsBecomeGapsAtTheirOffsets() {
    byte[] resp = bytes(1000, 9);
    int[] sizes = {100, 200, 300, 150, 250};
    int[][] drops = {{0}, {1}, {2}, {3}, {4}, {1, 2}, {0, 4}, {1, 3}, {0, 1, 2, 3, 4}};
    for (int[] d : drops) {
      TcpConversation c = conv().open();
      c.handshake().clientSends(REQUEST).send(Side.SERVER, resp, sizes, Impairment.drop(d)).fin();
      Recorder.Conn got = Feed.run(c.packets()).only();
      assertMatchesTruth(got, c.current());
      assertEquals(0, got.summary.retransmittedBytes());
      assertTrue(got.summary.history().contains("g"), got.summary.history());
      assertEquals("SF", got.summary.connState());
    }
  }

  @Test
  void droppedThenRetransmittedLeavesNoGap() {
    byte[] resp = bytes(1000, 10);
    int[] sizes = {100, 200, 300, 150, 250};
    for (int i = 0; i < sizes.length; i++) {
      TcpConversation c = conv().open();
      c.handshake().send(Side.SERVER, resp, sizes, Impairment.drop(i).and(Impairment.retransmit(i))).fin();
      Recorder.Conn got = Feed.run(c.packets()).only();
      assertMatchesTruth(got, c.current());
      assertEquals(0, got.summary.missingBytes());
      assertEquals(sizes.length - 1 - i, got.summary.outOfOrderCount(), "segment " + i); // all later ones held
    }
  }

  @Test
  void conflictingOverlapsKeepTheFirstCopy() {
    byte[] resp = bytes(1000, 11);
    int[] sizes = {100, 200, 300, 150, 250};
    for (int i = 0; i < sizes.length; i++) {
      TcpConversation c = conv().open();
      // the conflicting copy follows the segment; with the swap it also meets a held piece
      c.handshake().send(Side.SERVER, resp, sizes, Impairment.conflict(i)).fin();
      Recorder.Conn got = Feed.run(c.packets()).only();
      assertMatchesTruth(got, c.current());
      assertEquals(1, got.summary.overlapConflicts());
      assertEquals(1, got.conflicts);
      assertEquals(1, got.count(TcpReasons.OVERLAP_CONFLICT));
      assertEquals(0, got.summary.retransmittedBytes());

      TcpConversation c2 = conv().open();
      c2.handshake().send(Side.SERVER, resp, sizes, Impairment.conflict(4).and(Impairment.swap(i, 4))).fin();
      Recorder.Conn got2 = Feed.run(c2.packets()).only();
      assertMatchesTruth(got2, c2.current());
      assertEquals(1, got2.summary.overlapConflicts(), "swap " + i);
    }
  }

  @Test
  void sequenceWrapWithLossAndReorder() {
    byte[] data = bytes(20_000, 12);
    TcpConversation c = conv().isn(0xffffffffL - 3000, 0xfffffffeL).timestamps(true).open();
    c.handshake().send(Side.CLIENT, data, chunks(data.length, 1000),
            Impairment.drop(3).and(Impairment.swap(1, 2)).and(Impairment.duplicate(5)))
        .send(Side.SERVER, data, chunks(data.length, 1460), Impairment.swap(0, 1)).fin();
    Recorder.Conn got = Feed.run(c.packets()).only();
    assertMatchesTruth(got, c.current());
    assertEquals(1000, got.summary.retransmittedBytes());
    assertEquals(7, got.summary.client().windowScale());
    assertEquals(7, got.summary.server().windowScale());
  }

  @Test
  void ipv6OverVlanWithEitherEndpointFirstInKeyOrder() {
    byte[] resp = bytes(4000, 13);
    // the client's address sorts last here, so the client is endpoint B of the key
    TcpConversation c = TcpConversation.between(Feed.addr("2001:db8::99"), 40001, Feed.addr("2001:db8::10"), 80)
        .ethernet(1, 2, 42).open();
    c.handshake().clientSends(REQUEST).send(Side.SERVER, resp, Feed.chunks(resp.length, 700),
        Impairment.swap(0, 3).and(Impairment.drop(5))).fin();
    Recorder.Conn got = Feed.run(c.packets()).only();
    assertMatchesTruth(got, c.current());
    assertEquals(false, got.summary.info().clientIsA());
    assertEquals(40001, got.summary.info().clientPort());
    assertEquals("SF", got.summary.connState());
  }
}
