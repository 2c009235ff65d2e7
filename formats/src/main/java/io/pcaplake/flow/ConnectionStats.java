package io.pcaplake.flow;

import io.pcaplake.tcp.ConnectionInfo;
import io.pcaplake.tcp.DirectionStats;
import io.pcaplake.tcp.FlowSummary;
import io.pcaplake.tcp.TcpDirection;
import io.pcaplake.tcp.TcpSegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/** Per-connection counters the reassembler does not keep: report.xml's per-direction figures and capture files. */
final class ConnectionStats {
  ConnectionInfo info;
  String flowId;
  StreamSink sink;
  final Side a = new Side();
  final Side b = new Side();
  private int[] files = new int[4];
  private int fileCount;

  void reset() {
    info = null;
    flowId = null;
    sink = null;
    a.reset();
    b.reset();
    fileCount = 0;
  }

  Side side(TcpDirection d) {
    boolean fromA = d.fromClient() == info.clientIsA();
    return fromA ? a : b;
  }

  void count(FlowSegment s) {
    (s.fromA ? a : b).count(s);
    int f = s.captureFile;
    for (int i = 0; i < fileCount; i++) {
      if (files[i] == f) {
        return;
      }
    }
    if (fileCount == files.length) {
      files = Arrays.copyOf(files, fileCount * 2);
    }
    files[fileCount++] = f;
  }

  ConnectionRecord record(FlowKey key, FlowSummary s, IntFunction<String> names) {
    ConnectionInfo i = s.info();
    boolean clientIsA = i.clientIsA();
    String ipA = key.ipA();
    String ipB = key.ipB();
    String clientIp = clientIsA ? ipA : ipB;
    String serverIp = clientIsA ? ipB : ipA;
    Side cs = clientIsA ? a : b;
    Side ss = clientIsA ? b : a;
    DirectionStats c = s.client();
    DirectionStats v = s.server();
    List<String> fileNames = new ArrayList<>(fileCount);
    for (int k = 0; k < fileCount; k++) {
      String n = files[k] < 0 ? null : names.apply(files[k]);
      if (n != null && !fileNames.contains(n)) {
        fileNames.add(n);
      }
    }
    String id = flowId != null ? flowId : FlowId.of(key, i.startTs(), i.connectionIndex());
    return new ConnectionRecord(id, CommunityId.of(key), i.connectionIndex(), i.startTs(), s.endTs(),
        (s.endTs() - i.startTs()) / 1e6, key.family(), clientIp, i.clientPort(), serverIp, i.serverPort(),
        key.hasVlan() ? key.vlan() : null, c.packets(), v.packets(), c.bytes(), v.bytes(), s.missingBytes(),
        s.retransmittedBytes(), s.outOfOrderCount(), s.overlapConflicts(), s.synSeen(), s.finSeen(), s.rstSeen(),
        s.connState(), s.history(), fileNames, key,
        cs.report(true, clientIp, i.clientPort(), serverIp, i.serverPort(), c),
        ss.report(false, serverIp, i.serverPort(), clientIp, i.clientPort(), v));
  }

  /** One direction, by endpoint A or B of the key. */
  static final class Side {
    long firstTs;
    long lastTs;
    long packets;
    long wireLen;
    long capLen;
    long srcMac;
    long dstMac;
    long lastByte;
    long violations;
    /** tcpflow would have an open flow (file) for this direction: see {@link #count}. */
    boolean open;
    /** A gap was declared in this direction: tcpflow then never sees all bytes up to the FIN, so the FIN keeps it open. */
    boolean gap;

    void reset() {
      firstTs = 0;
      lastTs = 0;
      packets = 0;
      wireLen = 0;
      capLen = 0;
      srcMac = -1;
      dstMac = -1;
      lastByte = 0;
      violations = 0;
      open = false;
      gap = false;
    }

    /**
     * Counts a packet the way tcpflow 1.6.1 does for its report: a direction's flow starts at a SYN or a segment with
     * payload (a bare ACK, FIN or RST creates nothing), and ends at its FIN or RST; later bare packets of that
     * direction (the last ACK after a FIN) are not counted. The flows table counts every packet (FlowSummary).
     */
    void count(FlowSegment s) {
      boolean syn = (s.flags & TcpSegment.SYN) != 0;
      if (!open) {
        if (!syn && s.payloadWireLength <= 0) {
          return;
        }
        open = true;
      }
      if (packets == 0) {
        firstTs = s.ts;
        srcMac = s.srcMac;
        dstMac = s.dstMac;
      }
      lastTs = s.ts;
      packets++;
      wireLen += s.frameLength;
      capLen += s.capturedLength;
      if (syn && s.payloadWireLength > 0) {
        violations++;
      }
      if ((s.flags & TcpSegment.RST) != 0 || ((s.flags & TcpSegment.FIN) != 0 && !gap)) {
        open = false;
      }
    }

    void delivered(long end) {
      lastByte = Math.max(lastByte, end);
    }

    DirectionReport report(boolean fromClient, String src, int srcPort, String dst, int dstPort, DirectionStats d) {
      if (packets == 0) {
        return null;
      }
      return new DirectionReport(fromClient, src, srcPort, dst, dstPort, firstTs, lastTs, packets, wireLen, capLen,
          srcMac, dstMac, lastByte, d.outOfOrderCount(), violations, d.missingBytes());
    }
  }
}
