package io.pcaplake.synth;

import static io.pcaplake.synth.HttpTraffic.header;
import static io.pcaplake.synth.HttpTraffic.utf8;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/** The demo service's exchanges: request and response bytes for each endpoint of the sample capture. */
final class DemoApi {
  static final String HOST = "api.local:8000";
  static final int GZIP_MIN_BODY = 600;
  static final int CHUNK_SIZE = 1024;

  /** One request/response pair and its status. */
  record Exchange(byte[] request, byte[] response, int status) { }

  private DemoApi() { }

  /** A JWT-shaped token: base64url header, claims with subject and times, and a pseudo signature. */
  static String jwt(String subject, long iatSeconds, long expSeconds, Random rnd) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String head = b64.encodeToString(utf8("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"));
    String claims = b64.encodeToString(utf8("{\"sub\":\"" + subject + "\",\"scope\":\"transactions:read accounts:read\""
        + ",\"iat\":" + iatSeconds + ",\"exp\":" + expSeconds + "}"));
    byte[] sig = new byte[32];
    rnd.nextBytes(sig);
    return head + "." + claims + "." + b64.encodeToString(sig);
  }

  static List<HttpTraffic.Header> clientHeaders(HttpTraffic.Header auth, String userAgent, boolean acceptGzip) {
    List<HttpTraffic.Header> h = new ArrayList<>();
    h.add(header("User-Agent", userAgent));
    h.add(header("Accept", "application/json"));
    if (acceptGzip) {
      h.add(header("Accept-Encoding", "gzip"));
    }
    h.add(auth);
    return h;
  }

  static Exchange listTransactions(List<HttpTraffic.Header> reqHeaders, boolean acceptGzip, Random rnd) {
    int limit = 10 + 10 * rnd.nextInt(5);
    byte[] req = HttpTraffic.request("GET", "/api/transactions?limit=" + limit, HOST, reqHeaders, null);
    StringBuilder body = new StringBuilder("{\"transactions\":[");
    for (int i = 0; i < limit; i++) {
      if (i > 0) {
        body.append(',');
      }
      body.append("{\"id\":\"tx_").append(100_000 + rnd.nextInt(900_000)).append("\",\"account\":\"acc_")
          .append(1000 + rnd.nextInt(50)).append("\",\"amount\":").append(rnd.nextInt(100_000) / 100.0)
          .append(",\"currency\":\"EUR\",\"status\":\"settled\"}");
    }
    body.append("]}");
    return new Exchange(req, json(200, "OK", utf8(body.toString()), acceptGzip, rnd.nextBoolean()), 200);
  }

  /** A large plain (Content-Length) JSON export of {@code rows} transactions: several segments. */
  static Exchange exportTransactions(List<HttpTraffic.Header> reqHeaders, int rows, Random rnd) {
    byte[] req = HttpTraffic.request("GET", "/api/transactions/export?format=json", HOST, reqHeaders, null);
    StringBuilder body = new StringBuilder("{\"transactions\":[");
    for (int i = 0; i < rows; i++) {
      body.append(i == 0 ? "" : ",").append("{\"id\":\"tx_").append(100_000 + rnd.nextInt(900_000))
          .append("\",\"account\":\"acc_").append(1000 + rnd.nextInt(50)).append("\",\"amount\":")
          .append(rnd.nextInt(100_000) / 100.0).append(",\"currency\":\"EUR\",\"status\":\"settled\"}");
    }
    body.append("]}");
    return new Exchange(req, json(200, "OK", utf8(body.toString()), false, false), 200);
  }

  static Exchange getAccount(List<HttpTraffic.Header> reqHeaders, Random rnd) {
    int id = 1000 + rnd.nextInt(60);
    byte[] req = HttpTraffic.request("GET", "/api/accounts/acc_" + id, HOST, reqHeaders, null);
    if (id >= 1050) {
      return new Exchange(req, json(404, "Not Found", utf8("{\"error\":\"account_not_found\"}"), false, false), 404);
    }
    String body = "{\"id\":\"acc_" + id + "\",\"owner\":\"customer-" + id + "\",\"balance\":"
        + rnd.nextInt(10_000_000) / 100.0 + ",\"currency\":\"EUR\"}";
    return new Exchange(req, json(200, "OK", utf8(body), false, false), 200);
  }

  static Exchange health(String userAgent) {
    byte[] req = HttpTraffic.request("GET", "/health", HOST, List.of(header("User-Agent", userAgent)), null);
    byte[] resp = HttpTraffic.response(200, "OK", List.of(header("Content-Type", "text/plain")), utf8("ok"));
    return new Exchange(req, resp, 200);
  }

  static Exchange createTransaction(List<HttpTraffic.Header> reqHeaders, Random rnd) {
    List<HttpTraffic.Header> h = new ArrayList<>(reqHeaders);
    h.add(header("Content-Type", "application/json"));
    String body = "{\"account\":\"acc_" + (1000 + rnd.nextInt(50)) + "\",\"amount\":" + rnd.nextInt(50_000) / 100.0
        + ",\"currency\":\"EUR\",\"reference\":\"inv-" + rnd.nextInt(1_000_000) + "\"}";
    byte[] req = HttpTraffic.request("POST", "/api/transactions", HOST, h, utf8(body));
    String id = "tx_" + (100_000 + rnd.nextInt(900_000));
    List<HttpTraffic.Header> rh = List.of(header("Content-Type", "application/json"),
        header("Location", "/api/transactions/" + id));
    byte[] resp = HttpTraffic.response(201, "Created", rh, utf8("{\"id\":\"" + id + "\",\"status\":\"pending\"}"));
    return new Exchange(req, resp, 201);
  }

  static Exchange revokedTokenRejected(List<HttpTraffic.Header> reqHeaders) {
    byte[] req = HttpTraffic.request("GET", "/api/transactions?limit=50", HOST, reqHeaders, null);
    List<HttpTraffic.Header> rh = List.of(header("Content-Type", "application/json"),
        header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"The access token has been"
            + " revoked\""));
    byte[] resp = HttpTraffic.response(401, "Unauthorized", rh, utf8("{\"error\":\"invalid_token\"}"));
    return new Exchange(req, resp, 401);
  }

  private static byte[] json(int status, String reason, byte[] body, boolean gzipOk, boolean chunked) {
    List<HttpTraffic.Header> h = List.of(header("Content-Type", "application/json"));
    if (gzipOk && body.length >= GZIP_MIN_BODY) {
      return HttpTraffic.gzipResponse(status, reason, h, body, chunked ? CHUNK_SIZE : 0);
    }
    return chunked ? HttpTraffic.chunkedResponse(status, reason, h, body, CHUNK_SIZE)
        : HttpTraffic.response(status, reason, h, body);
  }
}
