package io.pcaplake.http;

import java.util.Arrays;
import java.util.List;

/**
 * One {@code http} table row, exactly the columns of {@code http.avsc} in order (see {@link #COLUMNS} and
 * {@link #values()}). Timestamps ({@code requestTs}, {@code responseTs}, {@code authJwtExp}, {@code authJwtIat}) are
 * <b>microseconds</b> since the epoch (UTC), ready for a timestamp-micros column. Header lists are immutable, wire
 * order, duplicates kept, credential values already masked ({@link Secrets#mask}) unless keepSecrets. Nullable
 * columns are boxed and null when unknown (the request or response side is missing, the header is absent).
 */
public record HttpRecord(
    String flowId, String communityId, int exchangeIndex, String clientIp, int clientPort, String serverIp,
    int serverPort, Integer vlan, Long requestTs, Long responseTs, Double latencyMs, String method, String uri,
    String path, String query, String httpVersion, String host, String userAgent, String referer,
    String xForwardedFor, String xRequestId, List<HttpHeader> requestHeaders, Long requestBodyBytes,
    String requestBodySha256, String requestContentType, Integer statusCode, String statusReason, Integer infoCode,
    List<HttpHeader> responseHeaders, Long responseBodyBytes, Long responseWireBytes, String responseBodySha256,
    String responseContentType, String contentEncoding, String transferEncoding, String authScheme, String authUser,
    String authTokenFp, String authTokenHint, Long authJwtExp, Long authJwtIat, boolean requestComplete,
    boolean responseComplete, long gapBytes, String captureFile, String dt) {

  /** The table's column names, in schema order (the same as {@code http.avsc}). */
  public static final List<String> COLUMNS = List.of("flow_id", "community_id", "exchange_index", "client_ip",
      "client_port", "server_ip", "server_port", "vlan", "request_ts", "response_ts", "latency_ms", "method", "uri",
      "path", "query", "http_version", "host", "user_agent", "referer", "x_forwarded_for", "x_request_id",
      "request_headers", "request_body_bytes", "request_body_sha256", "request_content_type", "status_code",
      "status_reason", "info_code", "response_headers", "response_body_bytes", "response_wire_bytes",
      "response_body_sha256", "response_content_type", "content_encoding", "transfer_encoding", "auth_scheme",
      "auth_user", "auth_token_fp", "auth_token_hint", "auth_jwt_exp", "auth_jwt_iat", "request_complete",
      "response_complete", "gap_bytes", "capture_file", "dt");

  public HttpRecord {
    requestHeaders = requestHeaders == null ? null : List.copyOf(requestHeaders);
    responseHeaders = responseHeaders == null ? null : List.copyOf(responseHeaders);
  }

  /**
   * The values in {@link #COLUMNS} order (nulls kept): String, Integer, Long, Double, Boolean or
   * {@code List<HttpHeader>}; timestamps as Long µs.
   */
  public List<Object> values() {
    return Arrays.asList(flowId, communityId, exchangeIndex, clientIp, clientPort, serverIp, serverPort, vlan,
        requestTs, responseTs, latencyMs, method, uri, path, query, httpVersion, host, userAgent, referer,
        xForwardedFor, xRequestId, requestHeaders, requestBodyBytes, requestBodySha256, requestContentType,
        statusCode, statusReason, infoCode, responseHeaders, responseBodyBytes, responseWireBytes,
        responseBodySha256, responseContentType, contentEncoding, transferEncoding, authScheme, authUser,
        authTokenFp, authTokenHint, authJwtExp, authJwtIat, requestComplete, responseComplete, gapBytes,
        captureFile, dt);
  }
}
