package io.pcaplake.http;

import java.util.List;

/**
 * One {@code http} table row before the table layer adds connection columns and credential fingerprints: a request
 * and the final response paired to it, in order on the connection. Either side may be null: a response seen without
 * its request (capture started mid-connection) or a request whose response never came (capture ended).
 *
 * @param flowId the connection
 * @param exchangeIndex 0, 1, 2 ... in connection order (Zeek's trans_depth minus one)
 * @param request the request, or null
 * @param response the final response, or null
 * @param tunnel why HTTP parsing of the connection stopped after this exchange ({@link HttpReasons#UPGRADE} or
 *     {@link HttpReasons#CONNECT_TUNNEL}), else null
 * @param upgradeTo the Upgrade header of a 101 (e.g. {@code websocket}, {@code h2c}), else null
 * @param reasons reason codes of the anomalies raised inside this exchange's messages, in order
 */
public record HttpExchange(String flowId, int exchangeIndex, HttpRequest request, HttpResponse response,
                           String tunnel, String upgradeTo, List<String> reasons) {

  public String method() {
    return request == null ? null : request.method();
  }

  public String uri() {
    return request == null ? null : request.uri();
  }

  public String host() {
    return request == null ? null : request.header("Host");
  }

  public String userAgent() {
    return request == null ? null : request.header("User-Agent");
  }

  public String referer() {
    return request == null ? null : request.header("Referer");
  }

  public String xForwardedFor() {
    return request == null ? null : request.header("X-Forwarded-For");
  }

  public String xRequestId() {
    return request == null ? null : request.header("X-Request-Id");
  }

  /** The version of the response when there is one (as Zeek does), else the request's. */
  public String httpVersion() {
    if (response != null && response.version() != null) {
      return response.version();
    }
    return request == null ? null : request.version();
  }

  public Integer statusCode() {
    return response == null || response.statusCode() == 0 ? null : response.statusCode();
  }

  /** First request byte to first response byte, ns; null unless both sides were seen. */
  public Long latencyNs() {
    return request == null || response == null ? null : response.ts() - request.ts();
  }

  public boolean requestComplete() {
    return request != null && request.complete();
  }

  public boolean responseComplete() {
    return response != null && response.complete();
  }

  public long gapBytes() {
    return (request == null ? 0 : request.gapBytes()) + (response == null ? 0 : response.gapBytes());
  }
}
