package io.pcaplake.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.tcp.TcpLimits;
import io.pcaplake.tcp.TcpSegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flow table's eviction in capture time, its memory bounds, and agreement with the key-sorted assembler. */
class FlowTableTest {
  static final long S = 1_000_000_000L;
  static final long T0 = 1_710_230_400L * S;
  static final int SYN = TcpSegment.SYN;
  static final int ACK = TcpSegment.ACK;
  static final int FIN = TcpSegment.FIN;
  static final int PSH = TcpSegment.PSH;

  /** Collects what a table or assembler emits. */
  static class Out implements FlowOutput {
    final List<ConnectionRecord> connections = new ArrayList<>();
    final List<AnomalyRecord> anomalies = new ArrayList<>();

    @Override
    public void connection(ConnectionRecord c) {
      connections.add(c);
    }

    @Override
    public void anomaly(AnomalyRecord a) {
      anomalies.add(a);
    }

    boolean has(int clientPort) {
      return connections.stream().anyMatch(c -> c.clientPort() == clientPort);
    }
  }

  /** Segments of one client-server conversation on a key, as a capture would hold them. */
  static final class Conv {
    final FlowKey key;
    final boolean clientIsA;
    long cseq = 1000;
    long sseq = 5000;
    final List<FlowSegment> out;

    Conv(int clientPort, List<FlowSegment> out) {
      this.key = FlowKey.of("10.0.0.1", clientPort, "10.0.0.2", 80, FlowKey.TCP, -1);
      this.clientIsA = key.portA() == clientPort && key.ipA().equals("10.0.0.1");
      this.out = out;
    }

    Conv seg(boolean fromClient, long ts, int flags, byte[] data) {
      long seq = fromClient ? cseq : sseq;
      long ack = fromClient ? sseq : cseq;
      FlowSegment s = new FlowSegment().key(key).tcp(fromClient == clientIsA, ts, seq, ack, flags, 65535, -1)
          .payload(data, 0, data.length, data.length).record(0, out.size(), 60 + data.length, 60 + data.length)
          .macs(-1, -1);
      long adv = data.length + ((flags & (SYN | FIN)) != 0 ? 1 : 0);
      if (fromClient) {
        cseq += adv;
      } else {
        sseq += adv;
      }
      out.add(s);
      return this;
    }

    Conv open(long ts) {
      return seg(true, ts, SYN, new byte[0]).seg(false, ts + 1000, SYN | ACK, new byte[0])
          .seg(true, ts + 2000, ACK, new byte[0]);
    }

    Conv exchange(long ts) {
      return seg(true, ts, PSH | ACK, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
          .seg(false, ts + 1000, PSH | ACK, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
    }

    Conv close(long ts) {
      return seg(true, ts, FIN | ACK, new byte[0]).seg(false, ts + 1000, FIN | ACK, new byte[0])
          .seg(true, ts + 2000, ACK, new byte[0]);
    }
  }

  static FlowTable table(Out out, FlowTable.Limits limits) {
    return new FlowTable(TcpLimits.DEFAULTS, limits, i -> "f" + i, out);
  }

  /** Feeds one segment, by capture time; a copy, since Conv reuses nothing but tests feed lists in any order. */
  static void feed(FlowTable t, FlowSegment s) {
    t.accept(s);
  }

  @Test
  void idleKeyEndsAfterTheIdleTimeInCaptureTime() {
    List<FlowSegment> segs = new ArrayList<>();
    new Conv(40001, segs).open(T0).exchange(T0 + S);           // stays open, last packet at T0+1s
    new Conv(40002, segs).open(T0 + 100 * S);                  // last packet at T0+100s
    List<FlowSegment> late = new ArrayList<>();
    new Conv(40003, late).open(T0 + 302 * S);                  // 301 s after 40001's last packet
    Out out = new Out();
    FlowTable t = table(out, FlowTable.Limits.DEFAULTS);
    segs.forEach(s -> feed(t, s));
    assertEquals(2, t.size());
    assertTrue(out.connections.isEmpty(), "nothing idle yet");
    feed(t, late.get(0));
    assertTrue(out.has(40001), "idle 301 s > 300 s: ended");
    assertFalse(out.has(40002), "idle 202 s: kept");
    assertEquals(2, t.size());
    assertEquals(5, out.connections.get(0).clientPackets() + out.connections.get(0).serverPackets());
    late.subList(1, late.size()).forEach(s -> feed(t, s));
    t.finish();
    assertEquals(3, out.connections.size());
    assertEquals(0, t.size());
  }

  @Test
  void closedConnectionLingersForLatePackets() {
    List<FlowSegment> a = new ArrayList<>();
    Conv ca = new Conv(40010, a).open(T0).exchange(T0 + 10_000_000).close(T0 + 20_000_000);
    ca.seg(false, T0 + 1_500_000_000L, ACK, new byte[0]);      // a late duplicate ACK, 1.5 s after the close
    List<FlowSegment> b = new ArrayList<>();
    new Conv(40011, b).open(T0 + S).exchange(T0 + 4 * S);
    Out out = new Out();
    FlowTable t = table(out, FlowTable.Limits.DEFAULTS);
    a.subList(0, a.size() - 1).forEach(s -> feed(t, s));
    feed(t, b.get(0));                                          // T0+1s: closed 1 s ago, lingers
    assertFalse(out.has(40010));
    feed(t, a.get(a.size() - 1));                               // T0+1.5s: still its connection
    b.subList(1, b.size()).forEach(s -> feed(t, s));            // up to T0+4s: 2.5 s after its last packet
    assertTrue(out.has(40010), "ended after the linger");
    ConnectionRecord r = out.connections.get(0);
    assertEquals(a.size(), r.clientPackets() + r.serverPackets(), "the late ACK counted in the connection");
    assertEquals("SF", r.connState());
    assertEquals(1, t.size());
  }

  /**
   * Port reuse after the first connection was ended: the table numbers the second connection 1, as the key-sorted
   * assembler (the Spark engine) does, so both give the same rows and flow ids.
   */
  @Test
  void keyMetAgainContinuesItsConnectionIndex() {
    List<FlowSegment> segs = new ArrayList<>();
    Conv c = new Conv(40020, segs).open(T0).exchange(T0 + 10_000_000).close(T0 + 20_000_000);
    c.cseq = 900_000;
    c.sseq = 700_000;
    c.open(T0 + 10 * S).exchange(T0 + 11 * S).close(T0 + 12 * S);
    List<FlowSegment> other = new ArrayList<>();
    new Conv(40021, other).open(T0 + 5 * S);                    // moves the clock: the first connection ends
    List<FlowSegment> all = new ArrayList<>(segs.subList(0, 9));
    all.addAll(other);
    all.addAll(segs.subList(9, segs.size()));

    Out table = new Out();
    FlowTable t = table(table, FlowTable.Limits.DEFAULTS);
    all.forEach(s -> feed(t, s));
    assertTrue(table.has(40020), "first connection ended before the port was reused");
    t.finish();
    Out sorted = new Out();
    FlowAssembler fa = new FlowAssembler(TcpLimits.DEFAULTS, i -> "f" + i, sorted);
    segs.forEach(fa::accept);
    other.forEach(fa::accept);
    fa.finish();
    List<ConnectionRecord> reuse = table.connections.stream().filter(r -> r.clientPort() == 40020).toList();
    assertEquals(List.of(0, 1), reuse.stream().map(ConnectionRecord::connectionIndex).toList());
    assertEquals(FlowId.of(reuse.get(1).key(), T0 + 10 * S, 1), reuse.get(1).flowId());
    assertEquals(sorted.connections.stream().map(Object::toString).sorted().toList(),
        table.connections.stream().map(Object::toString).sorted().toList());
  }

  /** 200,000 short connections one after the other: only those within the linger are held at once. */
  @Test
  void manySequentialConnectionsStayBounded() {
    Out out = new Out() {
      long n;

      @Override
      public void connection(ConnectionRecord c) {
        n++;
        if (n % 50_000 == 0) {
          connections.add(c);
        }
      }
    };
    // No lingering cap here: the linger alone bounds the table (maxLingering is pinned by the next test).
    FlowTable t = table(out, FlowTable.Limits.DEFAULTS.withMaxLingering(Integer.MAX_VALUE));
    List<FlowSegment> segs = new ArrayList<>();
    int n = 200_000;
    long gap = 1_000_000L;  // a new connection every ms of capture time
    for (int i = 0; i < n; i++) {
      segs.clear();
      long ts = T0 + i * gap;
      new Conv(1024 + i % 60_000, segs).open(ts).close(ts + 100_000);
      segs.forEach(s -> feed(t, s));
    }
    int lingering = (int) (FlowTable.Limits.DEFAULTS.lingerNanos() / gap);
    assertTrue(t.peakSize() <= lingering + lingering / 4, "peak " + t.peakSize() + " keys, linger holds ~"
        + lingering);
    t.finish();
    assertEquals(n, t.connections());
    assertEquals(0, t.keysEndedFull());
  }

  /**
   * A busy server closes connections faster than the linger lets them go (8 per ms of capture time: 16,000 in 2 s):
   * at most {@code maxLingering} closed keys are held, the one closed longest ago ending early, silently (a closed
   * connection ending is not a problem), and every connection is still emitted once, whole.
   */
  @Test
  void closedConnectionsBeyondTheLingeringCapEndEarly() {
    Out out = new Out();
    int cap = 1024;
    FlowTable t = table(out, FlowTable.Limits.DEFAULTS.withMaxLingering(cap));
    List<FlowSegment> segs = new ArrayList<>();
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      long ts = T0 + i * 125_000L;
      new Conv(1024 + i % 50_000, segs).open(ts).exchange(ts + 10_000).close(ts + 20_000);
    }
    segs.sort(java.util.Comparator.comparingLong(s -> s.ts));
    segs.forEach(s -> feed(t, s));
    assertTrue(t.peakSize() <= cap + 8, "peak " + t.peakSize() + " keys with a cap of " + cap + " lingering");
    assertTrue(t.keysEndedLingerCap() >= n - cap - 8,
        "ended early: " + t.keysEndedLingerCap());
    t.finish();
    assertEquals(n, out.connections.size());
    assertEquals(n, out.connections.stream().map(ConnectionRecord::flowId).distinct().count());
    assertTrue(out.connections.stream().allMatch(c -> c.connectionIndex() == 0), "no key split in two");
    assertEquals(List.of(), out.anomalies);
    assertEquals(0, t.keysEndedFull());
  }

  /** More concurrent keys than the table holds: the least recently active are ended, with an anomaly each. */
  @Test
  void fullTableEndsTheLeastRecentlyActiveKey() {
    Out out = new Out();
    int max = 1_000;
    FlowTable t = table(out, FlowTable.Limits.DEFAULTS.withMaxFlows(max));
    List<FlowSegment> segs = new ArrayList<>();
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      new Conv(1024 + i, segs).open(T0 + i * 1_000_000L);
    }
    segs.sort(java.util.Comparator.comparingLong(s -> s.ts));
    segs.forEach(s -> feed(t, s));
    assertEquals(max, t.peakSize());
    assertEquals(n - max, t.keysEndedFull());
    assertEquals(n - max, out.anomalies.stream().filter(a -> a.reason().equals(FlowReasons.FLOW_TABLE_FULL))
        .count());
    assertEquals(1024, out.connections.get(0).clientPort(), "the oldest first");
    t.finish();
    assertEquals(n, out.connections.size());
  }
}
