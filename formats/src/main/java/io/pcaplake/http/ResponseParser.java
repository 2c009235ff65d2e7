package io.pcaplake.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The server side: status lines, 1xx folding, bodies framed by the request they answer. */
final class ResponseParser extends MessageParser {
  private HttpConnection.Pending current;
  private long firstTs;
  private int infoCode;
  private int status;
  private String version;
  private String reason;
  private final List<String> carried = new ArrayList<>();

  ResponseParser(HttpLimits limits, HttpConnection conn) {
    super(limits, conn, false);
  }

  @Override
  boolean messageStarts() {
    if (current == null) {
      HttpConnection.Pending p = conn.peekUnanswered();
      if (p != null && "HTTP/0.9".equals(p.version)) {
        current = conn.bindResponse();
        firstTs = msgTs;
        status = 0;
        version = null;
        reason = "";
        startBody(State.BODY_CLOSE, 0);
        return false;
      }
    }
    return true;
  }

  @Override
  boolean looksLikeStart(byte[] b, int len) {
    return len >= 12 && Tokens.version(b, 0, 8) && b[5] == '1' && b[8] == ' ' && Tokens.digit(b[9])
        && Tokens.digit(b[10]) && Tokens.digit(b[11]) && (len == 12 || b[12] == ' ');
  }

  @Override
  boolean startLine(byte[] b, int len) {
    int sp = RequestParser.indexOf(b, 0, len, (byte) ' ');
    int v = sp < 0 ? len : sp;
    if (v < 5 || b[0] != 'H' || b[1] != 'T' || b[2] != 'T' || b[3] != 'P' || b[4] != '/' || sp < 0) {
      return bad(b, len);
    }
    int c = sp;
    while (c < len && b[c] == ' ') {
      c++;
    }
    if (c + 3 > len || !Tokens.digit(b[c]) || !Tokens.digit(b[c + 1]) || !Tokens.digit(b[c + 2])
        || (c + 3 < len && b[c + 3] != ' ' && b[c + 3] != '\t')) {
      return bad(b, len);
    }
    version = new String(b, 0, v, StandardCharsets.ISO_8859_1);
    status = (b[c] - '0') * 100 + (b[c + 1] - '0') * 10 + (b[c + 2] - '0');
    int r = c + 3;
    while (r < len && (b[r] == ' ' || b[r] == '\t')) {
      r++;
    }
    reason = text(b, r, len - r);
    if (current == null) {
      current = conn.bindResponse();
      firstTs = msgTs;
      carried.clear();
    }
    if (!Tokens.version(b, 0, v)) {
      anomaly(HttpReasons.BAD_VERSION, version);
    }
    if (reason.isEmpty()) {
      anomaly(HttpReasons.MISSING_REASON, Integer.toString(status));
    }
    return true;
  }

  private boolean bad(byte[] b, int len) {
    anomaly(HttpReasons.BAD_STATUS_LINE, new String(b, 0, Math.min(len, 120), StandardCharsets.ISO_8859_1));
    return false;
  }

  @Override
  int exchangeIndex() {
    return current == null ? -1 : current.index;
  }

  @Override
  void afterHeaders() {
    String method = current.method;
    if (status >= 100 && status < 200) {
      if (status == 101) {
        conn.tunnel(current, HttpReasons.UPGRADE, upgrade);
        finishMessage(true);
        state = State.STOPPED;
        return;
      }
      infoCode = status;
      carried.addAll(reasons);
      restart();
      return;
    }
    if ("CONNECT".equals(method) && status >= 200 && status < 300) {
      conn.tunnel(current, HttpReasons.CONNECT_TUNNEL, null);
      finishMessage(true);
      state = State.STOPPED;
      return;
    }
    if ("HEAD".equals(method) || status == 204 || status == 304) {
      finishMessage(true);
      return;
    }
    if (transferEncoding != null) {
      if (contentLength >= 0 || badContentLength) {
        anomaly(HttpReasons.TE_AND_CL, "Transfer-Encoding " + transferEncoding);
      }
      if (chunked()) {
        startBody(State.CHUNK_SIZE, 0);
      } else {
        startBody(State.BODY_CLOSE, 0);
      }
      return;
    }
    if (contentLength >= 0) {
      startBody(State.BODY_LENGTH, contentLength);
    } else {
      startBody(State.BODY_CLOSE, 0);
    }
  }

  @Override
  void done(boolean complete) {
    if (current == null) {
      return;
    }
    HttpBody body = bodyResult();   // first: decoding that ends with the body (br, a cut gzip) may add reasons
    List<String> rs = new ArrayList<>(carried);
    rs.addAll(reasons);
    HttpResponse r = new HttpResponse(firstTs, version, status, reason == null ? "" : reason, infoCode,
        List.copyOf(headers), List.copyOf(trailers), body, complete, gapBytes);
    HttpConnection.Pending p = current;
    current = null;
    infoCode = 0;
    carried.clear();
    conn.responseDone(p, r, rs);
  }

  void stop() {
    state = State.STOPPED;
  }

  /**
   * End of stream after a 1xx whose final response never came (nothing followed, or a gap and no status line after
   * it): the exchange gets an incomplete response with status 0 and the 1xx as {@code info_code}, so it is never
   * left with neither side (a 1xx seen without its request) and the 1xx is not lost.
   */
  void flushInterim() {
    if (current != null) {
      status = 0;
      reason = "";
      headers = new ArrayList<>();
      trailers = new ArrayList<>();
      body = null;
      done(false);
    }
  }
}
