package io.pcaplake.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The client side: request lines, request bodies (Content-Length or chunked; never close-delimited). */
final class RequestParser extends MessageParser {
  private boolean decided;
  private HttpConnection.Pending pending;
  private String method;
  private String uri;
  private String version;
  private boolean nonUtf8;

  RequestParser(HttpLimits limits, HttpConnection conn) {
    super(limits, conn, true);
  }

  @Override
  boolean messageStarts() {
    if (!decided && (offset != 0 || !startsLikeMethod())) {
      decided = true;
      conn.notHttp();
      return false;
    }
    return true;
  }

  private boolean startsLikeMethod() {
    return true;   // the first byte is checked by HttpConnection before any parsing
  }

  @Override
  void notStartLine() {
    if (!decided) {
      decided = true;
      conn.notHttp();
    }
  }

  @Override
  boolean looksLikeStart(byte[] b, int len) {
    int sp = indexOf(b, 0, len, (byte) ' ');
    if (sp <= 0 || sp > 24) {
      return false;
    }
    for (int i = 0; i < sp; i++) {
      if (!(b[i] >= 'A' && b[i] <= 'Z' || b[i] == '-' || b[i] == '_')) {
        return false;
      }
    }
    int last = lastIndexOf(b, len, (byte) ' ');
    return last > sp && Tokens.version(b, last + 1, len - last - 1) && b[last + 6] == '1';
  }

  @Override
  boolean startLine(byte[] b, int len) {
    boolean first = !decided;
    decided = true;
    int sp = indexOf(b, 0, len, (byte) ' ');
    boolean ok = sp > 0;
    for (int i = 0; ok && i < sp; i++) {
      ok = Tokens.tchar(b[i]);
    }
    if (!ok) {
      return reject(first, b, len);
    }
    int ts0 = sp;
    while (ts0 < len && b[ts0] == ' ') {
      ts0++;
    }
    int end = len;
    while (end > ts0 && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
      end--;
    }
    if (ts0 >= end) {
      return reject(first, b, len);
    }
    method = new String(b, 0, sp, StandardCharsets.ISO_8859_1);
    int last = lastIndexOf(b, end, (byte) ' ');
    int targetEnd;
    if (last >= ts0 && end - last - 1 >= 5 && b[last + 1] == 'H' && b[last + 2] == 'T' && b[last + 3] == 'T'
        && b[last + 4] == 'P' && b[last + 5] == '/') {
      version = new String(b, last + 1, end - last - 1, StandardCharsets.ISO_8859_1);
      if (!Tokens.version(b, last + 1, end - last - 1)) {
        return reject(first, b, len);
      }
      targetEnd = last;
      while (targetEnd > ts0 && b[targetEnd - 1] == ' ') {
        targetEnd--;
      }
    } else if (indexOf(b, ts0, end, (byte) ' ') < 0) {
      version = "HTTP/0.9";
      targetEnd = end;
      if (first && !Tokens.KNOWN_METHODS.contains(method)) {
        return reject(true, b, len);
      }
    } else {
      return reject(first, b, len);
    }
    if (first && !version.startsWith("HTTP/1.") && !version.equals("HTTP/0.9")) {
      return reject(true, b, len);
    }
    if (first) {
      conn.isHttp();
    }
    boolean[] bad = new boolean[1];
    uri = Tokens.uri(b, ts0, targetEnd - ts0, bad);
    nonUtf8 = bad[0];
    pending = conn.requestStarted(method, version);
    if (!Tokens.KNOWN_METHODS.contains(method)) {
      anomaly(HttpReasons.UNKNOWN_METHOD, method);
    }
    if (nonUtf8) {
      anomaly(HttpReasons.NON_UTF8_URI, uri);
    }
    if (version.equals("HTTP/0.9")) {
      anomaly(HttpReasons.HTTP09_REQUEST, null);
      finishMessage(true);
    } else if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      anomaly(HttpReasons.BAD_VERSION, version);
    }
    return true;
  }

  private boolean reject(boolean first, byte[] b, int len) {
    if (first) {
      conn.notHttp();
      state = State.STOPPED;
      return true;
    }
    anomaly(HttpReasons.BAD_REQUEST_LINE, new String(b, 0, Math.min(len, 120), StandardCharsets.ISO_8859_1));
    return false;
  }

  @Override
  int exchangeIndex() {
    return pending == null ? -1 : pending.index;
  }

  @Override
  void afterHeaders() {
    if (transferEncoding != null) {
      if (contentLength >= 0 || badContentLength) {
        anomaly(HttpReasons.TE_AND_CL, "Transfer-Encoding " + transferEncoding);
      }
      if (chunked()) {
        startBody(State.CHUNK_SIZE, 0);
        return;
      }
      anomaly(HttpReasons.BAD_TRANSFER_ENCODING, transferEncoding);
      finishMessage(true);
      return;
    }
    if (contentLength > 0) {
      startBody(State.BODY_LENGTH, contentLength);
    } else if (contentLength == 0) {
      startBody(State.BODY_LENGTH, 0);
    } else {
      finishMessage(true);
    }
  }

  @Override
  void done(boolean complete) {
    if (pending == null) {
      return;
    }
    String path = uri;
    String query = null;
    int q = uri.indexOf('?');
    if (q >= 0) {
      path = uri.substring(0, q);
      query = uri.substring(q + 1);
    }
    String auth = authorization != null ? authorization : proxyAuthorization;
    HttpRequest r = new HttpRequest(msgTs, method, uri, path, query, version, List.copyOf(headers),
        List.copyOf(trailers), bodyResult(), auth, complete, gapBytes);
    HttpConnection.Pending p = pending;
    pending = null;
    boolean hold = complete && (upgrade != null || method.equals("CONNECT"));
    conn.requestDone(p, r, reasons);
    if (hold && state == State.START_LINE && conn.hold(p)) {
      state = State.PAUSED;
    }
  }

  /** Resumes after a held Upgrade/CONNECT request got a non-switching answer. */
  void resume() {
    if (state == State.PAUSED) {
      state = State.START_LINE;
    }
  }

  void stop() {
    state = State.STOPPED;
  }

  static int indexOf(byte[] b, int from, int to, byte c) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  static int lastIndexOf(byte[] b, int to, byte c) {
    for (int i = to - 1; i >= 0; i--) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }
}
