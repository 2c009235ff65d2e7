package io.pcaplake.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.flow.FlowAssembler;
import io.pcaplake.flow.FlowKey;
import io.pcaplake.flow.FlowOutput;
import io.pcaplake.flow.FlowSegment;
import io.pcaplake.tcp.TcpLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One hand-made keep-alive connection through FlowAssembler + HttpStage. */
class HttpStageTest {
  static final int SYN = 0x02;
  static final int ACK = 0x10;
  static final int PSH = 0x08;
  static final int FIN = 0x01;

  @Test
  void rowsStreamAsExchangesCompleteAndCountReachesTheFlowRow() {
    List<HttpRecord> rows = new ArrayList<>();
    List<AnomalyRecord> anomalies = new ArrayList<>();
    List<String> events = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    HttpStage[] stage = new HttpStage[1];
    FlowAssembler fa = new FlowAssembler(TcpLimits.DEFAULTS, i -> "f" + i + ".pcap", new FlowOutput() {
      @Override
      public void connection(ConnectionRecord c) {
        events.add("flow");
        counts.add(stage[0].exchangeCount(c.flowId()));
      }

      @Override
      public void anomaly(AnomalyRecord a) { }
    });
    stage[0] = HttpStage.attach(fa, SecretsOptions.defaults(), r -> {
      rows.add(r);
      events.add("row" + r.exchangeIndex());
    }, anomalies::add);

    FlowKey key = FlowKey.of("10.0.0.1", 40000, "10.0.0.2", 8080, FlowKey.TCP, 12);
    boolean cA = key.isFromA(key.addrA(), key.portA()) && key.ipA().equals("10.0.0.1") && key.portA() == 40000;
    long t = 1_700_000_000_000_000_000L;
    FlowSegment s = new FlowSegment();
    long cs = 1000;
    long ss = 5000;
    int[] rec = {0};
    java.util.function.BiConsumer<Object[], byte[]> send = (h, p) -> {
      boolean fromClient = (Boolean) h[0];
      fa.accept(s.key(key).tcp(fromClient == cA, (Long) h[1], (Long) h[2], (Long) h[3], (Integer) h[4], 65535, -1)
          .payload(p, 0, p.length, p.length).record(rec[0] < 5 ? 0 : 1, rec[0]++ * 100L, 54 + p.length,
              54 + p.length));
    };
    byte[] none = new byte[0];
    send.accept(new Object[] {true, t, cs, 0L, SYN}, none);
    send.accept(new Object[] {false, t + 1000, ss, cs + 1, SYN | ACK}, none);
    send.accept(new Object[] {true, t + 2000, cs + 1, ss + 1, ACK}, none);
    byte[] q1 = ("GET /a?x=1 HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer abcdefghijklmnop\r\n"
        + "Cookie: sid=42\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    send.accept(new Object[] {true, t + 3000, cs + 1, ss + 1, ACK | PSH}, q1);
    byte[] r1 = "HTTP/1.1 401 Unauthorized\r\nContent-Length: 2\r\n\r\nno".getBytes(StandardCharsets.US_ASCII);
    send.accept(new Object[] {false, t + 5_003_000, ss + 1, cs + 1 + q1.length, ACK | PSH}, r1);
    assertEquals(1, rows.size(), "the first exchange is out before the connection ends");
    byte[] q2 = "GET /b HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    send.accept(new Object[] {true, t + 6_000_000, cs + 1 + q1.length, ss + 1 + r1.length, ACK | PSH}, q2);
    send.accept(new Object[] {true, t + 7_000_000, cs + 1 + q1.length + q2.length, ss + 1 + r1.length, ACK | FIN},
        none);
    fa.finish();

    assertEquals(List.of("row0", "row1", "flow"), events);
    assertEquals(List.of(2), counts, "http_exchanges of the flows row");
    HttpRecord a = rows.get(0);
    assertEquals("10.0.0.1", a.clientIp());
    assertEquals(40000, a.clientPort());
    assertEquals("10.0.0.2", a.serverIp());
    assertEquals(8080, a.serverPort());
    assertEquals(12, a.vlan());
    assertEquals("/a", a.path());
    assertEquals("x=1", a.query());
    assertEquals(401, a.statusCode());
    assertEquals(5.0, a.latencyMs(), 1e-9);
    assertEquals((t + 3000) / 1000, a.requestTs());
    assertEquals("bearer", a.authScheme());
    assertEquals("mnop", a.authTokenHint());
    assertEquals("f0.pcap", a.captureFile(), "file of the packet that completed the exchange");
    assertEquals("2023-11-14", a.dt());
    assertEquals(2L, a.responseBodyBytes());
    assertTrue(a.requestHeaders().get(1).value().startsWith("fp:"));
    assertTrue(a.requestHeaders().get(2).value().startsWith("fp:"));
    HttpRecord b = rows.get(1);
    assertNull(b.statusCode());
    assertNull(b.responseHeaders());
    assertNull(b.responseBodyBytes());
    assertTrue(b.requestComplete());
    assertEquals(false, b.responseComplete());
    assertEquals("f1.pcap", b.captureFile(), "flushed at the end: the connection's last capture file");
    assertEquals(a.flowId(), b.flowId());
    assertEquals(1, b.exchangeIndex());
  }
}
