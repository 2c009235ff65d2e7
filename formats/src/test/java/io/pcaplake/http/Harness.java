package io.pcaplake.http;

import io.pcaplake.tcp.TcpDirection;
import java.util.ArrayList;
import java.util.List;

/** Feeds scripted client/server byte streams into an HttpConnection in fragments of a given size. */
final class Harness implements HttpListener {
  final List<HttpExchange> exchanges = new ArrayList<>();
  final List<HttpAnomaly> anomalies = new ArrayList<>();
  final HttpConnection conn;
  private long clientOff;
  private long serverOff;
  long ts = 1_000;

  Harness(HttpLimits limits) {
    conn = new HttpConnection("f1", limits, this);
  }

  /** With body extraction through {@code bodies}. */
  Harness(String flowId, HttpLimits limits, BodyFiles.Opener bodies) {
    conn = new HttpConnection(flowId, limits, this, bodies);
  }

  Harness() {
    this(HttpLimits.DEFAULTS);
  }

  @Override
  public void exchange(HttpExchange e) {
    exchanges.add(e);
  }

  @Override
  public void anomaly(HttpAnomaly a) {
    anomalies.add(a);
  }

  Harness client(byte[] b, int frag) {
    clientOff = send(TcpDirection.CLIENT_TO_SERVER, b, frag, clientOff);
    return this;
  }

  Harness server(byte[] b, int frag) {
    serverOff = send(TcpDirection.SERVER_TO_CLIENT, b, frag, serverOff);
    return this;
  }

  Harness clientGap(long n) {
    conn.gap(TcpDirection.CLIENT_TO_SERVER, clientOff, n);
    clientOff += n;
    return this;
  }

  Harness serverGap(long n) {
    conn.gap(TcpDirection.SERVER_TO_CLIENT, serverOff, n);
    serverOff += n;
    return this;
  }

  Harness close() {
    conn.finish();
    return this;
  }

  private long send(TcpDirection d, byte[] b, int frag, long off) {
    for (int i = 0; i < b.length; i += frag) {
      int n = Math.min(frag, b.length - i);
      // a fresh array per delivery with junk around the slice: the parser must respect off/len and copy what it keeps
      byte[] buf = new byte[n + 2];
      buf[0] = 'Z';
      buf[n + 1] = 'Z';
      System.arraycopy(b, i, buf, 1, n);
      conn.deliver(d, buf, 1, n, off + i, ts++);
    }
    return off + b.length;
  }

  List<String> reasons() {
    return anomalies.stream().map(HttpAnomaly::reason).toList();
  }

  HttpExchange only() {
    if (exchanges.size() != 1) {
      throw new AssertionError("expected one exchange, got " + exchanges);
    }
    return exchanges.get(0);
  }
}
