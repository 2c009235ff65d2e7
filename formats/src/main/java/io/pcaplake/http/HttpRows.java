package io.pcaplake.http;

import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.CommunityId;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.flow.FlowKey;
import io.pcaplake.tcp.ConnectionInfo;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Maps parser output to table rows: {@link HttpExchange} to {@link HttpRecord} (connection columns, lifted headers,
 * credential columns and masking), {@link HttpAnomaly} to an {@code anomalies} row (layer {@code http}). Uses only
 * what the flow layer knows when a connection opens (flow id, key, {@link ConnectionInfo}), so rows can be emitted as
 * exchanges complete. Not thread-safe (holds a {@link Secrets}).
 */
public final class HttpRows {
  public static final String LAYER = "http";

  private final Secrets secrets;

  public HttpRows(SecretsOptions options) {
    this.secrets = new Secrets(options);
  }

  public Secrets secrets() {
    return secrets;
  }

  /** The row of one exchange; {@code dt} is the UTC date of the connection's first packet (as in {@code flows}). */
  public HttpRecord row(String flowId, FlowKey key, ConnectionInfo info, HttpExchange ex, String captureFile) {
    String ipA = key.ipA();
    String ipB = key.ipB();
    return row(flowId, CommunityId.of(key), info.clientIsA() ? ipA : ipB, info.clientPort(),
        info.clientIsA() ? ipB : ipA, info.serverPort(), key.hasVlan() ? key.vlan() : null, info.startTs(), ex,
        captureFile);
  }

  /** The row of one exchange of a finished connection. */
  public HttpRecord row(ConnectionRecord c, HttpExchange ex, String captureFile) {
    return row(c.flowId(), c.communityId(), c.clientIp(), c.clientPort(), c.serverIp(), c.serverPort(), c.vlan(),
        c.startTs(), ex, captureFile);
  }

  /**
   * The general form. URL credentials are masked ({@link Secrets#maskUrl}) in {@code uri}, {@code path},
   * {@code query} and {@code referer}, and in URL-valued headers; credential headers become {@code fp:<hex>}.
   *
   * @param connectionStartTs the connection's first packet, ns (gives {@code dt})
   */
  public HttpRecord row(String flowId, String communityId, String clientIp, int clientPort, String serverIp,
                        int serverPort, Integer vlan, long connectionStartTs, HttpExchange ex, String captureFile) {
    HttpRequest q = ex.request();
    HttpResponse r = ex.response();
    HttpBody qb = q == null ? null : q.body();
    HttpBody rb = r == null ? null : r.body();
    Credentials cr = secrets.credentials(q);
    Long latencyNs = ex.latencyNs();
    return new HttpRecord(flowId, communityId, ex.exchangeIndex(), clientIp, clientPort, serverIp, serverPort, vlan,
        q == null ? null : (Long) micros(q.ts()), r == null ? null : (Long) micros(r.ts()),
        latencyNs == null ? null : (Double) (latencyNs / 1e6),
        ex.method(), secrets.maskUrl(ex.uri()), q == null ? null : secrets.maskUrl(q.path()),
        q == null ? null : secrets.maskQuery(q.query()), ex.httpVersion(),
        ex.host(), ex.userAgent(), secrets.maskUrl(ex.referer()), ex.xForwardedFor(), ex.xRequestId(),
        q == null ? null : secrets.mask(q.headers()),
        bodyBytes(q != null, qb, true), qb == null ? null : qb.sha256(),
        q == null ? null : q.header("Content-Type"),
        ex.statusCode(), r == null || r.statusCode() == 0 ? null : r.reason(),
        r == null || r.infoCode() == 0 ? null : (Integer) r.infoCode(),
        r == null ? null : secrets.mask(r.headers()),
        bodyBytes(r != null, rb, true), bodyBytes(r != null, rb, false),
        rb == null ? null : rb.sha256(), r == null ? null : r.header("Content-Type"),
        r == null ? null : r.header("Content-Encoding"), r == null ? null : r.header("Transfer-Encoding"),
        cr.scheme(), cr.user(), cr.tokenFp(), cr.tokenHint(), cr.jwtExp(), cr.jwtIat(),
        ex.requestComplete(), ex.responseComplete(), ex.gapBytes(), captureFile, date(connectionStartTs));
  }

  /**
   * The {@code anomalies} row of a parser anomaly: layer {@code http}, no record index (the parser sees streams, not
   * packets), detail prefixed with the direction and stream offset ({@code client@123: ...}). Details that quote
   * a request target or line ({@code http.non_utf8_uri}, {@code http.bad_request_line} ...) get
   * {@link Secrets#maskUrl}, so a {@code ?access_token=} in them is masked like the {@code uri} column.
   */
  public AnomalyRecord anomaly(HttpAnomaly a, String captureFile) {
    String where = (a.fromClient() ? "client@" : "server@") + a.streamOffset();
    return new AnomalyRecord(captureFile, null, a.flowId(), a.ts(), LAYER, a.reason(),
        a.detail() == null ? where : where + ": " + secrets.maskUrl(a.detail()));
  }

  /** Null when the message was not seen, 0 when it had no body. */
  private static Long bodyBytes(boolean seen, HttpBody b, boolean decoded) {
    if (!seen) {
      return null;
    }
    if (b == null) {
      return 0L;
    }
    return decoded ? b.decodedBytes() : b.wireBytes();
  }

  static long micros(long ns) {
    return Math.floorDiv(ns, 1000L);
  }

  static String date(long ns) {
    return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L)).atOffset(ZoneOffset.UTC).toLocalDate()
        .toString();
  }
}
