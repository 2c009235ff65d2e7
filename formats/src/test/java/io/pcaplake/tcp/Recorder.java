package io.pcaplake.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Records everything a reassembler says, per connection, and checks the listener contract as it goes: start before
 * anything else, and per direction deliveries and gaps contiguous from offset 0.
 */
final class Recorder implements TcpListener {
  record Gap(long offset, long length) { }

  record Anomaly(String reason, String detail, long ts, int file, long record) { }

  static final class Conn {
    ConnectionInfo info;
    FlowSummary summary;
    final ByteArrayOutputStream[] bytes = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    final List<List<Gap>> gaps = List.of(new ArrayList<>(), new ArrayList<>());
    final long[] end = new long[2];
    final List<Anomaly> anomalies = new ArrayList<>();
    int conflicts;

    byte[] client() {
      return bytes[0].toByteArray();
    }

    byte[] server() {
      return bytes[1].toByteArray();
    }

    List<Gap> clientGaps() {
      return gaps.get(0);
    }

    List<Gap> serverGaps() {
      return gaps.get(1);
    }

    long count(String reason) {
      return anomalies.stream().filter(a -> a.reason().equals(reason)).count();
    }
  }

  final List<Conn> conns = new ArrayList<>();
  Conn open;

  Conn only() {
    assertEquals(1, conns.size(), "connections");
    return conns.get(0);
  }

  @Override
  public void connectionStart(ConnectionInfo info) {
    assertNull(open, "connectionStart while another connection is open");
    open = new Conn();
    open.info = info;
    assertEquals(conns.size(), info.connectionIndex(), "connection index");
    conns.add(open);
  }

  @Override
  public void deliver(TcpDirection d, byte[] b, int off, int len, long streamOffset, long ts) {
    assertNotNull(open, "deliver before connectionStart");
    int i = d.ordinal();
    assertEquals(open.end[i], streamOffset, d + " delivery offset");
    open.bytes[i].write(b, off, len);
    open.end[i] += len;
  }

  @Override
  public void gap(TcpDirection d, long streamOffset, long missing) {
    assertNotNull(open, "gap before connectionStart");
    int i = d.ordinal();
    assertEquals(open.end[i], streamOffset, d + " gap offset");
    List<Gap> g = open.gaps.get(i);
    if (!g.isEmpty() && g.get(g.size() - 1).offset() + g.get(g.size() - 1).length() == streamOffset) {
      Gap last = g.remove(g.size() - 1);
      g.add(new Gap(last.offset(), last.length() + missing));
    } else {
      g.add(new Gap(streamOffset, missing));
    }
    open.end[i] += missing;
  }

  @Override
  public void overlapConflict(TcpDirection d, long streamOffset, long length, long ts) {
    assertNotNull(open);
    open.conflicts++;
  }

  @Override
  public void anomaly(String reason, String detail, long ts, int file, long record) {
    assertNotNull(open, "anomaly before connectionStart");
    open.anomalies.add(new Anomaly(reason, detail, ts, file, record));
  }

  @Override
  public void connectionEnd(FlowSummary s) {
    assertNotNull(open);
    open.summary = s;
    assertEquals(open.info, s.info());
    assertEquals(open.end[0], s.client().streamLength(), "client stream length");
    assertEquals(open.end[1], s.server().streamLength(), "server stream length");
    open = null;
  }
}
