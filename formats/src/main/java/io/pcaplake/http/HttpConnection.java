package io.pcaplake.http;

import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.flow.StreamSink;
import io.pcaplake.tcp.TcpDirection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * HTTP/1.x over one reassembled TCP connection: a request parser on the client stream, a response parser on the
 * server stream, and in-order pairing into {@link HttpExchange}s (keep-alive and pipelining), handed to the listener
 * in exchange order.
 *
 * <p>Detection is by content: the connection is HTTP when the client stream starts (offset 0) with a request line
 * ({@code TOKEN SP target SP HTTP/1.x}, or a known method and a target for HTTP/0.9). Otherwise it is ignored from
 * that point at the cost of one line scan. Server bytes that arrive before the client's first line decided are
 * skipped (the response parser resyncs at the next status line).
 *
 * <p>After a request carrying {@code Upgrade} or a CONNECT, further client bytes are held (at most
 * {@link HttpLimits#maxHeldBytes}) until its response: 101, or 2xx to CONNECT, stop HTTP parsing of the connection
 * ({@link HttpExchange#tunnel()}); any other status replays the held bytes as HTTP.
 */
public final class HttpConnection implements StreamSink {
  private enum Mode { UNDECIDED, HTTP, IGNORED, TUNNEL }

  /** One exchange being assembled. */
  static final class Pending {
    final int index;
    final String method;
    final String version;
    HttpRequest request;
    boolean requestDone;
    HttpResponse response;
    boolean responseBound;
    boolean responseDone;
    String tunnel;
    String upgradeTo;
    final List<String> reasons = new ArrayList<>(0);

    Pending(int index, String method, String version) {
      this.index = index;
      this.method = method;
      this.version = version;
    }
  }

  private record Held(byte[] bytes, long streamOffset, long ts) { }

  private final String flowId;
  private final HttpLimits limits;
  private final HttpListener listener;
  private final RequestParser requests;
  private final ResponseParser responses;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final List<HttpAnomaly> undecidedAnomalies = new ArrayList<>(0);
  private Mode mode = Mode.UNDECIDED;
  private int nextIndex;
  private Pending holdFor;
  private List<Held> held;
  private long heldBytes;
  private boolean closed;
  private final BodyFiles.Opener bodies;
  private boolean hashBodies = true;

  public HttpConnection(String flowId, HttpLimits limits, HttpListener listener) {
    this(flowId, limits, listener, null);
  }

  /**
   * @param bodies where to extract decoded bodies ({@link BodyFiles}), or null for no extraction
   */
  public HttpConnection(String flowId, HttpLimits limits, HttpListener listener, BodyFiles.Opener bodies) {
    this.flowId = flowId;
    this.limits = limits;
    this.listener = listener;
    this.bodies = bodies;
    this.requests = new RequestParser(limits, this);
    this.responses = new ResponseParser(limits, this);
  }

  /** Off: bodies get no SHA-256 ({@code body_sha256} null), for consoles that do not show it. On by default. */
  public void hashBodies(boolean on) {
    this.hashBodies = on;
  }

  /** A factory for {@code FlowAssembler}: one HttpConnection per TCP connection. */
  public static StreamSink.Factory factory(HttpLimits limits, HttpListener listener) {
    return (flowId, key, info) -> new HttpConnection(flowId, limits, listener);
  }

  /** True once the client's first line was a request line. */
  public boolean isHttpConnection() {
    return mode == Mode.HTTP || mode == Mode.TUNNEL;
  }

  @Override
  public void deliver(TcpDirection direction, byte[] b, int off, int len, long streamOffset, long ts) {
    if (mode == Mode.IGNORED || mode == Mode.TUNNEL || closed || len <= 0) {
      return;
    }
    if (direction.fromClient()) {
      if (mode == Mode.UNDECIDED && streamOffset == 0 && !(b[off] >= 'A' && b[off] <= 'Z')) {
        notHttp();
        return;
      }
      if (held != null) {
        hold(b, off, len, streamOffset, ts);
        return;
      }
      feedClient(b, off, len, streamOffset, ts);
    } else if (mode == Mode.UNDECIDED) {
      responses.gap(streamOffset, len);
    } else {
      responses.feed(b, off, len, streamOffset, ts);
    }
  }

  private void feedClient(byte[] b, int off, int len, long streamOffset, long ts) {
    int n = requests.feed(b, off, len, streamOffset, ts);
    if (n < len && held != null) {
      hold(b, off + n, len - n, streamOffset + n, ts);
    }
  }

  private void hold(byte[] b, int off, int len, long streamOffset, long ts) {
    if (heldBytes + len > limits.maxHeldBytes()) {
      release();
      feedClient(b, off, len, streamOffset, ts);
      return;
    }
    held.add(new Held(java.util.Arrays.copyOfRange(b, off, off + len), streamOffset, ts));
    heldBytes += len;
  }

  private void release() {
    List<Held> h = held;
    held = null;
    holdFor = null;
    heldBytes = 0;
    requests.resume();
    if (h != null) {
      for (Held x : h) {
        if (mode != Mode.HTTP || held != null) {
          if (held != null) {
            hold(x.bytes, 0, x.bytes.length, x.streamOffset, x.ts);
          }
          continue;
        }
        feedClient(x.bytes, 0, x.bytes.length, x.streamOffset, x.ts);
      }
    }
  }

  @Override
  public void gap(TcpDirection direction, long streamOffset, long missingBytes) {
    if (mode == Mode.IGNORED || mode == Mode.TUNNEL || closed) {
      return;
    }
    if (direction.fromClient()) {
      if (mode == Mode.UNDECIDED) {
        notHttp();
        return;
      }
      if (held != null) {
        release();
      }
      requests.gap(streamOffset, missingBytes);
    } else {
      responses.gap(streamOffset, missingBytes);
    }
  }

  @Override
  public void close(ConnectionRecord connection) {
    finish();
  }

  /** End of both streams (also called by {@link #close}): finishes partial messages and flushes every exchange. */
  public void finish() {
    if (closed) {
      return;
    }
    if (mode == Mode.HTTP) {
      if (held != null) {
        release();
      }
      requests.end();
      responses.end();
      responses.flushInterim();
    }
    closed = true;
    if (mode != Mode.IGNORED && mode != Mode.UNDECIDED) {
      while (!pending.isEmpty()) {
        emit(pending.pollFirst());
      }
    }
  }

  // ---- called by the parsers ----

  boolean extracting() {
    return bodies != null;
  }

  boolean hashingBodies() {
    return hashBodies;
  }

  /** Opens the file of one body ({@link BodyFiles#name}); null (and an anomaly) when that fails. */
  java.io.OutputStream openBody(boolean fromClient, int index, String contentType, long ts, long offset) {
    String name = BodyFiles.name(flowId, index, fromClient, contentType);
    try {
      java.io.OutputStream o = bodies.create(name);
      if (o == null) {
        throw new java.io.IOException("no stream");
      }
      return o;
    } catch (java.io.IOException | RuntimeException e) {
      anomaly(fromClient, ts, offset, HttpReasons.EXTRACT_FAILED, name + ": " + e);
      return null;
    }
  }

  void isHttp() {
    if (mode == Mode.UNDECIDED) {
      mode = Mode.HTTP;
      for (HttpAnomaly a : undecidedAnomalies) {
        listener.anomaly(a);
      }
      undecidedAnomalies.clear();
    }
  }

  void notHttp() {
    mode = Mode.IGNORED;
    undecidedAnomalies.clear();
    pending.clear();
    requests.stop();
    responses.stop();
  }

  void anomaly(boolean fromClient, long ts, long offset, String reason, String detail) {
    HttpAnomaly a = new HttpAnomaly(flowId, ts, fromClient, offset, reason, detail);
    if (mode == Mode.UNDECIDED) {
      undecidedAnomalies.add(a);
    } else if (mode != Mode.IGNORED) {
      listener.anomaly(a);
    }
  }

  Pending requestStarted(String method, String version) {
    Pending p = new Pending(nextIndex++, method, version);
    pending.addLast(p);
    if (pending.size() > limits.maxPendingRequests()) {
      Pending old = pending.peekFirst();
      if (old != null && !old.responseBound && old.requestDone) {
        anomaly(true, old.request.ts(), 0, HttpReasons.EXCESSIVE_PIPELINING,
            "over " + limits.maxPendingRequests() + " requests waiting; oldest emitted without response");
        old.reasons.add(HttpReasons.EXCESSIVE_PIPELINING);
        emit(pending.pollFirst());
      }
    }
    return p;
  }

  void requestDone(Pending p, HttpRequest r, List<String> reasons) {
    p.request = r;
    p.requestDone = true;
    p.reasons.addAll(reasons);
    drain();
  }

  Pending peekUnanswered() {
    for (Pending p : pending) {
      if (!p.responseBound) {
        return p;
      }
    }
    return null;
  }

  Pending bindResponse() {
    Pending p = peekUnanswered();
    if (p == null) {
      p = new Pending(nextIndex++, null, null);
      p.requestDone = true;
      pending.addLast(p);
      p.reasons.add(HttpReasons.RESPONSE_WITHOUT_REQUEST);
      anomaly(false, responses.ts, responses.msgOffset, HttpReasons.RESPONSE_WITHOUT_REQUEST, null);
    }
    p.responseBound = true;
    return p;
  }

  void responseDone(Pending p, HttpResponse r, List<String> reasons) {
    p.response = r;
    p.responseDone = true;
    p.reasons.addAll(reasons);
    if (p == holdFor && p.tunnel == null) {
      release();
    }
    drain();
  }

  /** Client bytes after this request wait for its response; false when holding is off. */
  boolean hold(Pending p) {
    if (limits.maxHeldBytes() == 0 || p.responseDone) {
      return false;
    }
    holdFor = p;
    held = new ArrayList<>(2);
    heldBytes = 0;
    return true;
  }

  void tunnel(Pending p, String reason, String upgradeTo) {
    p.tunnel = reason;
    p.upgradeTo = upgradeTo;
    mode = Mode.TUNNEL;
    held = null;
    holdFor = null;
    // A request still being read (pipelined before the switch) ends here, incomplete; stopping the parser without
    // ending it left its exchange with neither side (fuzzing finding).
    requests.end();
    anomaly(false, responses.ts, responses.msgOffset, reason, upgradeTo);
  }

  private void drain() {
    while (!pending.isEmpty()) {
      Pending p = pending.peekFirst();
      if (!p.requestDone || !p.responseDone) {
        return;
      }
      emit(pending.pollFirst());
    }
  }

  private void emit(Pending p) {
    listener.exchange(new HttpExchange(flowId, p.index, p.request, p.response, p.tunnel, p.upgradeTo,
        List.copyOf(p.reasons)));
  }

  /** For tests: exchanges not yet emitted. */
  int pendingCount() {
    int n = 0;
    for (Iterator<Pending> it = pending.iterator(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }
}
