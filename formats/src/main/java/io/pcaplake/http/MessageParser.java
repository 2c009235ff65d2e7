package io.pcaplake.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The incremental HTTP/1.x message parser of one direction: an explicit state machine over the reassembled byte
 * stream, one {@code switch}, returning whenever input runs short, never holding a body. Subclasses parse the start
 * line and decide the body framing; everything else (header lines, chunked coding, gaps, resync, end of stream) is
 * here.
 */
abstract class MessageParser {
  enum State { START_LINE, HEADERS, BODY_LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, BODY_CLOSE, RESYNC,
    PAUSED, STOPPED }

  final HttpLimits limits;
  final HttpConnection conn;
  final boolean fromClient;
  State state = State.START_LINE;

  // the line being read
  private byte[] line = new byte[128];
  private int lineLen;
  private boolean lineOverflow;
  private boolean lineStarted;

  // position of the current delivery
  long ts;
  long offset;

  // the current message
  boolean inMessage;
  long msgTs;
  long msgOffset;
  List<HttpHeader> headers = new ArrayList<>();
  List<HttpHeader> trailers = new ArrayList<>();
  List<String> reasons = new ArrayList<>();
  long headerBytes;
  int headerCount;
  boolean bareLf;
  boolean tooMany;
  long contentLength;
  boolean badContentLength;
  String transferEncoding;
  String contentEncoding;
  String contentType;
  String upgrade;
  String authorization;
  String proxyAuthorization;
  long gapBytes;
  long remaining;
  BodyDecoder body;
  private long resyncSkipped;

  MessageParser(HttpLimits limits, HttpConnection conn, boolean fromClient) {
    this.limits = limits;
    this.conn = conn;
    this.fromClient = fromClient;
  }

  /** Parses a start line; false when it is not one (the parser resyncs). */
  abstract boolean startLine(byte[] b, int len);

  /** Strict check used while resyncing. */
  abstract boolean looksLikeStart(byte[] b, int len);

  /** Headers are complete: sets the body state (or completes the message). */
  abstract void afterHeaders();

  /** The message ended; complete when its framing was satisfied. */
  abstract void done(boolean complete);

  /** The first byte of a message at a message boundary; returns false when the subclass took over (HTTP/0.9). */
  boolean messageStarts() {
    return true;
  }

  final void anomaly(String reason, String detail) {
    anomalyAt(ts, reason, detail);
  }

  private void anomalyAt(long when, String reason, String detail) {
    if (inMessage) {
      reasons.add(reason);
    }
    conn.anomaly(fromClient, when, inMessage ? msgOffset : offset, reason, detail);
  }

  /** How body decoding reports: dated by the bytes' arrival, also when held gzip bytes decode later. */
  private final BodyDecoder.Problems bodyProblems = new BodyDecoder.Problems() {
    @Override
    public void report(String reason, String detail) {
      anomaly(reason, detail);
    }

    @Override
    public long now() {
      return ts;
    }

    @Override
    public void reportAt(long when, String reason, String detail) {
      anomalyAt(when, reason, detail);
    }
  };

  /** Feeds bytes; returns how many were consumed (fewer than len only when the parser paused). */
  final int feed(byte[] b, int off, int len, long streamOffset, long ts) {
    this.ts = ts;
    int p = off;
    int end = off + len;
    while (p < end) {
      offset = streamOffset + (p - off);
      switch (state) {
        case START_LINE -> {
          if (!lineStarted) {
            byte c = b[p];
            if (c == '\r' || c == '\n') {   // empty lines between messages are ignored (RFC 9112 2.2)
              p++;
              continue;
            }
            startMessage();
            lineStarted = true;
            if (!messageStarts()) {
              lineStarted = false;
              continue;
            }
          }
          p = readLine(b, p, end, limits.maxStartLine());
          if (lineOverflow) {
            anomaly(HttpReasons.START_LINE_TOO_LONG, "over " + limits.maxStartLine() + " bytes");
            inMessage = false;
            lineOverflow = false;
            lineStarted = false;
            state = State.RESYNC;
            resyncSkipped = limits.maxStartLine();
            notStartLine();
            continue;
          }
          if (lineReady) {
            lineReady = false;
            lineStarted = false;
            int n = lineLen;
            lineLen = 0;
            state = State.HEADERS;
            if (!startLine(line, n)) {
              inMessage = false;
              state = State.RESYNC;
              resyncSkipped = n + 1;
              notStartLine();
            }
          }
        }
        case HEADERS, TRAILERS -> {
          long budget = limits.maxHeaderBytes() - headerBytes;
          int before = p;
          p = readLine(b, p, end, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(0, budget)));
          headerBytes += p - before;
          if (lineOverflow || headerBytes > limits.maxHeaderBytes()) {
            anomaly(HttpReasons.HEADERS_TOO_LARGE, "over " + limits.maxHeaderBytes() + " bytes");
            lineOverflow = false;
            lineLen = 0;
            lineReady = false;
            endIncomplete();
            continue;
          }
          if (lineReady) {
            lineReady = false;
            int n = lineLen;
            lineLen = 0;
            if (n == 0) {
              if (state == State.HEADERS) {
                afterHeaders();
              } else {
                finishMessage(true);
              }
            } else {
              headerLine(line, n, state == State.HEADERS ? headers : trailers);
            }
          }
        }
        case BODY_LENGTH -> {
          int n = (int) Math.min(remaining, end - p);
          body.wire(b, p, n);
          p += n;
          remaining -= n;
          if (remaining == 0) {
            finishMessage(true);
          }
        }
        case BODY_CLOSE -> {
          body.wire(b, p, end - p);
          p = end;
        }
        case CHUNK_SIZE, CHUNK_END -> {
          p = readLine(b, p, end, limits.maxChunkSizeLine());
          if (lineOverflow) {
            anomaly(HttpReasons.CHUNK_SIZE_LINE_TOO_LONG, "over " + limits.maxChunkSizeLine() + " bytes");
            lineOverflow = false;
            lineLen = 0;
            endIncomplete();
            continue;
          }
          if (lineReady) {
            lineReady = false;
            int n = lineLen;
            lineLen = 0;
            if (state == State.CHUNK_END) {
              state = State.CHUNK_SIZE;
              if (n == 0) {
                continue;
              }
              anomaly(HttpReasons.BAD_CHUNK_END, "data after chunk, read as the next size line");
            }
            chunkSize(line, n);
          }
        }
        case CHUNK_DATA -> {
          int n = (int) Math.min(remaining, end - p);
          body.wire(b, p, n);
          p += n;
          remaining -= n;
          if (remaining == 0) {
            state = State.CHUNK_END;
          }
        }
        case RESYNC -> {
          int before = p;
          p = readLine(b, p, end, limits.maxStartLine());
          if (lineOverflow) {
            lineOverflow = false;
            resyncSkipped += p - before;
            continue;
          }
          if (lineReady) {
            lineReady = false;
            int n = lineLen;
            lineLen = 0;
            if (looksLikeStart(line, n)) {
              reportResync();
              startMessage();
              state = State.HEADERS;
              if (!startLine(line, n)) {
                inMessage = false;
                state = State.RESYNC;
              }
            } else {
              resyncSkipped += n + 1;
            }
          }
        }
        case PAUSED -> {
          return p - off;
        }
        case STOPPED -> p = end;
        default -> throw new IllegalStateException(state.name());
      }
    }
    return len;
  }

  private boolean lineReady;
  private boolean skipToLf;

  /**
   * Reads up to LF from b[p..end) into the line buffer (at most cap bytes kept; beyond that lineOverflow is set and
   * the rest of the line is skipped). Strips CR before LF, notes bare LF. Returns the new position.
   */
  private int readLine(byte[] b, int p, int end, int cap) {
    int i = p;
    while (i < end && b[i] != '\n') {
      i++;
    }
    int n = i - p;
    if (skipToLf) {
      resyncSkipped += n;
      if (i < end) {
        skipToLf = false;
        return i + 1;
      }
      return end;
    }
    if (lineLen + n > cap + 1) {   // +1: the CR of a CRLF
      lineOverflow = true;
      lineLen = 0;
      skipToLf = i == end;
      return i < end ? i + 1 : end;
    }
    if (lineLen + n > line.length) {
      line = java.util.Arrays.copyOf(line, Math.max(lineLen + n, line.length * 2));
    }
    System.arraycopy(b, p, line, lineLen, n);
    lineLen += n;
    if (i == end) {
      return end;
    }
    if (lineLen > 0 && line[lineLen - 1] == '\r') {
      lineLen--;
    } else if (!bareLf && state != State.RESYNC) {
      bareLf = true;
      anomaly(HttpReasons.BARE_LF, null);
    }
    if (lineLen > cap) {
      lineOverflow = true;
      lineLen = 0;
      return i + 1;
    }
    lineReady = true;
    return i + 1;
  }

  private void reportResync() {
    if (resyncSkipped > 0) {
      conn.anomaly(fromClient, ts, offset, HttpReasons.RESYNC_SKIPPED, resyncSkipped + " bytes skipped");
      resyncSkipped = 0;
    }
  }

  /** Goes back to reading a start line (after a 1xx interim response). */
  void restart() {
    state = State.START_LINE;
    lineStarted = false;
    inMessage = false;
  }

  /** Hook: a line at a message start was not a start line. */
  void notStartLine() { }

  void startMessage() {
    inMessage = true;
    msgTs = ts;
    msgOffset = offset;
    headers = new ArrayList<>();
    trailers = new ArrayList<>();
    reasons = new ArrayList<>();
    headerBytes = 0;
    headerCount = 0;
    bareLf = false;
    tooMany = false;
    contentLength = -1;
    badContentLength = false;
    transferEncoding = null;
    contentEncoding = null;
    contentType = null;
    upgrade = null;
    authorization = null;
    proxyAuthorization = null;
    gapBytes = 0;
    remaining = 0;
    body = null;
  }

  private void headerLine(byte[] b, int n, List<HttpHeader> into) {
    if (b[0] == ' ' || b[0] == '\t') {
      if (!into.isEmpty() && headerCount <= limits.maxHeaders()) {
        anomaly(HttpReasons.OBS_FOLD, null);
        HttpHeader last = into.get(into.size() - 1);
        String more = text(b, 0, n).strip();
        into.set(into.size() - 1, new HttpHeader(last.name(), last.value().isEmpty() ? more : last.value() + " " + more));
        return;
      }
      anomaly(HttpReasons.BAD_HEADER_LINE, "continuation line without a header");
      return;
    }
    int colon = -1;
    boolean odd = false;
    for (int i = 0; i < n; i++) {
      byte c = b[i];
      if (c == ':') {
        colon = i;
        break;
      }
      if (!Tokens.tchar(c)) {
        odd = true;
      }
    }
    if (colon <= 0) {
      anomaly(HttpReasons.BAD_HEADER_LINE, colon == 0 ? "empty header name" : "no colon");
      return;
    }
    String name = new String(b, 0, colon, StandardCharsets.ISO_8859_1);
    if (odd) {
      anomaly(HttpReasons.ODD_HEADER_NAME, name);
    }
    int vs = colon + 1;
    int ve = n;
    while (vs < ve && (b[vs] == ' ' || b[vs] == '\t')) {
      vs++;
    }
    while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
      ve--;
    }
    String value = text(b, vs, ve - vs);
    headerCount++;
    if (headerCount <= limits.maxHeaders()) {
      into.add(new HttpHeader(name, value));
    } else if (!tooMany) {
      tooMany = true;
      anomaly(HttpReasons.TOO_MANY_HEADERS, "over " + limits.maxHeaders());
    }
    if (into == headers) {
      framing(name.strip(), value);
    }
  }

  private void framing(String name, String value) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "content-length" -> {
        long v = -1;
        for (String part : value.split(",", -1)) {
          long x = Tokens.decimal(part.strip());
          if (x < 0 || (v >= 0 && x != v)) {
            v = -2;
            break;
          }
          v = x;
        }
        if (v < 0) {
          anomaly(HttpReasons.BAD_CONTENT_LENGTH, value);
          badContentLength = true;
        } else if (contentLength >= 0 && contentLength != v) {
          anomaly(HttpReasons.CONFLICTING_CONTENT_LENGTH, contentLength + " and " + v);
        } else {
          contentLength = v;
        }
      }
      case "transfer-encoding" -> transferEncoding = transferEncoding == null ? value : transferEncoding + ", " + value;
      case "content-encoding" -> contentEncoding = contentEncoding == null ? value : contentEncoding + ", " + value;
      case "content-type" -> contentType = contentType == null ? value : contentType;
      case "upgrade" -> upgrade = value;
      case "authorization" -> authorization = authorization == null ? value : authorization;
      case "proxy-authorization" -> proxyAuthorization = proxyAuthorization == null ? value : proxyAuthorization;
      default -> { }
    }
  }

  /** True when the last transfer coding is chunked. */
  boolean chunked() {
    if (transferEncoding == null) {
      return false;
    }
    String[] codings = transferEncoding.split(",");
    return codings[codings.length - 1].strip().equalsIgnoreCase("chunked");
  }

  /** The exchange index of the message being read, or -1 when it has none. */
  abstract int exchangeIndex();

  void startBody(State s, long length) {
    body = new BodyDecoder(limits, contentEncoding, bodyProblems, conn.hashingBodies());
    int index = exchangeIndex();
    if (index >= 0 && conn.extracting()) {
      String type = contentType;
      long at = offset;
      body.extractTo(() -> conn.openBody(fromClient, index, type, ts, at));
    }
    remaining = length;
    state = s;
    if (s == State.BODY_LENGTH && length == 0) {
      finishMessage(true);
    }
  }

  private void chunkSize(byte[] b, int n) {
    int i = 0;
    while (i < n && (b[i] == ' ' || b[i] == '\t')) {
      i++;
    }
    long v = 0;
    int digits = 0;
    boolean overflow = false;
    while (i < n) {
      int d = Character.digit(b[i], 16);
      if (d < 0) {
        break;
      }
      if (v > (Long.MAX_VALUE >> 4)) {
        overflow = true;
      }
      v = (v << 4) | d;
      digits++;
      i++;
    }
    while (i < n && (b[i] == ' ' || b[i] == '\t')) {
      i++;
    }
    boolean rest = i == n || b[i] == ';';
    if (digits == 0 || overflow || v < 0 || !rest) {
      anomaly(HttpReasons.BAD_CHUNK_SIZE, new String(b, 0, Math.min(n, 64), StandardCharsets.ISO_8859_1));
      endIncomplete();
      return;
    }
    if (v == 0) {
      headerBytes = 0;
      headerCount = 0;
      tooMany = false;
      state = State.TRAILERS;
    } else {
      remaining = v;
      state = State.CHUNK_DATA;
    }
  }

  /** The message cannot continue (bad framing, limit, gap in headers): report it incomplete and resync. */
  void endIncomplete() {
    finishMessage(false);
    if (state != State.STOPPED && state != State.PAUSED) {
      state = State.RESYNC;
    }
  }

  /** Builds the message, hands it over, and returns to START_LINE unless done() chose another state. */
  void finishMessage(boolean complete) {
    State before = state;
    state = State.START_LINE;
    lineStarted = false;
    done(complete);
    inMessage = false;
    if (state == State.START_LINE && before == State.STOPPED) {
      state = State.STOPPED;
    }
  }

  HttpBody bodyResult() {
    BodyDecoder d = body != null ? body : new BodyDecoder(limits, null, this::anomaly);
    body = null;   // its buffers (prefix, inflate window) must not outlive the message on an idle connection
    return d.finish(contentType, contentEncoding, transferEncoding);
  }

  /** Missing bytes: skipped inside a body whose framing survives; otherwise the message ends and we resync. */
  final void gap(long streamOffset, long missing) {
    offset = streamOffset;
    skipToLf = false;
    lineReady = false;
    lineOverflow = false;
    switch (state) {
      case BODY_LENGTH, CHUNK_DATA -> {
        gapBytes += Math.min(missing, remaining);
        body.gap(Math.min(missing, remaining));
        anomaly(HttpReasons.GAP_IN_BODY, missing + " bytes");
        if (missing < remaining) {
          remaining -= missing;
        } else if (state == State.BODY_LENGTH && missing == remaining) {
          remaining = 0;
          finishMessage(true);
        } else {
          remaining = 0;
          endIncomplete();
        }
      }
      case BODY_CLOSE -> {
        gapBytes += missing;
        body.gap(missing);
        anomaly(HttpReasons.GAP_IN_BODY, missing + " bytes");
      }
      case START_LINE -> {
        if (lineStarted) {
          gapBytes += missing;
          anomaly(HttpReasons.GAP_IN_HEADERS, missing + " bytes");
          inMessage = false;
        }
        lineStarted = false;
        lineLen = 0;
        state = State.RESYNC;
      }
      case HEADERS, TRAILERS, CHUNK_SIZE, CHUNK_END -> {
        gapBytes += missing;
        anomaly(HttpReasons.GAP_IN_HEADERS, missing + " bytes");
        lineLen = 0;
        endIncomplete();
      }
      case RESYNC -> {
        lineLen = 0;
        skipToLf = false;
      }
      default -> { }
    }
  }

  /** End of stream (Netty's decodeLast): a close-delimited body completes; anything else partial is incomplete. */
  final void end() {
    switch (state) {
      case BODY_CLOSE -> finishMessage(true);
      case START_LINE -> {
        if (lineStarted && lineLen > 0) {
          anomaly(HttpReasons.TRUNCATED_MESSAGE, "start line not finished");
          if (startLine(line, lineLen)) {
            finishMessage(false);
          }
        }
      }
      case HEADERS, TRAILERS, BODY_LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_END -> {
        anomaly(HttpReasons.TRUNCATED_MESSAGE, state.name().toLowerCase(Locale.ROOT));
        finishMessage(false);
      }
      case RESYNC -> reportResync();
      default -> { }
    }
    state = State.STOPPED;
  }

  /**
   * Header value, reason phrase or folded line as text, lossless: ASCII and valid UTF-8 as they are; otherwise
   * ({@link Tokens#escapedText}) valid UTF-8 sequences kept, every other byte >= 0x80 and every {@code %} written
   * {@code %XX}, and {@code http.non_utf8_header} raised, so the value percent-decodes to the exact bytes sent.
   */
  final String text(byte[] b, int off, int len) {
    boolean[] bad = new boolean[1];
    String t = Tokens.escapedText(b, off, len, bad);
    if (bad[0]) {
      anomaly(HttpReasons.NON_UTF8_HEADER, t.length() > 120 ? t.substring(0, 120) : t);
    }
    return t;
  }

}
