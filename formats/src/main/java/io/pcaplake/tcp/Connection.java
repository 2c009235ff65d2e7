package io.pcaplake.tcp;

import java.util.regex.Pattern;

/**
 * One TCP connection on a key: the two {@link HalfStream}s, who is the client, Zeek's endpoint states and history,
 * and the bridge from A/B sides to client/server directions for the listener.
 */
final class Connection {
  // Zeek's endpoint states.
  static final int INACTIVE = 0;
  static final int SYN_SENT = 1;
  static final int SYN_ACK_SENT = 2;
  static final int PARTIAL = 3;
  static final int ESTABLISHED = 4;
  static final int CLOSED = 5;
  static final int RESET = 6;

  private static final Pattern RSTOS0 = Pattern.compile("\\^?S[^HAFGIQ]*R.*");

  private final TcpReassembler owner;
  private final TcpListener listener;
  final int index;
  final HalfStream a;
  final HalfStream b;
  final History history;

  private long packets;
  long startTs;
  long endTs;
  private boolean firstFromA;
  private boolean rolesDecided;
  private boolean clientIsA;
  private RoleDecision decision;
  private ConnectionInfo info;
  boolean synSeen;
  boolean rstSeen;

  Connection(TcpReassembler owner, int index) {
    this.owner = owner;
    this.listener = owner.listener;
    this.index = index;
    this.a = new HalfStream(this, true, owner.limits);
    this.b = new HalfStream(this, false, owner.limits);
    this.history = new History(owner.limits.maxHistory());
  }

  HalfStream half(boolean fromA) {
    return fromA ? a : b;
  }

  /** RST seen, or a FIN from either side. */
  boolean closed() {
    return rstSeen || a.finSeen || b.finSeen;
  }

  /** Whether a SYN (with or without ACK) on this connection starts a new connection on the key. */
  boolean startsNewConnection(TcpSegment s) {
    if (packets == 0) {
      return false;
    }
    HalfStream x = half(s.fromA);
    if (x.synSeen) {
      return s.seq != x.isn;
    }
    if (closed()) {
      return true;
    }
    if (!x.baseKnown) {
      return false;
    }
    return Math.abs(x.toOffset((s.seq + 1) & HalfStream.MASK) - x.next) > owner.limits.maxSeqJump();
  }

  void accept(TcpSegment s) {
    if (packets++ == 0) {
      startTs = s.ts;
      endTs = s.ts;
      firstFromA = s.fromA;
    }
    endTs = Math.max(endTs, s.ts);
    boolean fromA = s.fromA;
    HalfStream x = half(fromA);
    HalfStream peer = half(!fromA);
    x.packets++;
    x.seen += s.wireLength;
    boolean syn = s.has(TcpSegment.SYN);
    boolean ack = s.has(TcpSegment.ACK);
    boolean fin = s.has(TcpSegment.FIN);
    boolean rst = s.has(TcpSegment.RST);
    boolean rstBefore = rstSeen;

    if (syn && (fin || rst)) {
      history.once(fromA, 'q');
      anomaly(TcpReasons.INCONSISTENT_FLAGS, "SYN with " + (fin ? "FIN" : "RST"), s);
    } else if (fin && rst) {
      history.once(fromA, 'i');
      anomaly(TcpReasons.INCONSISTENT_FLAGS, "FIN with RST", s);
    }

    if (syn && !synSide(x, s)) {
      syn = false;
    }
    if (!x.baseKnown) {
      x.isn = (s.seq - 1) & HalfStream.MASK;
      x.baseKnown = true;
    }
    if (syn) {
      synSeen = true;
      if (!rolesDecided) {
        decide(ack != fromA, ack ? RoleDecision.SYN_ACK : RoleDecision.SYN);
      }
      history.withSeq(fromA, ack ? 'h' : 's', s.seq);
      if (s.windowScale >= 0) {
        x.windowScale = s.windowScale;
      }
    }
    updateStates(x, peer, syn, ack, fin, rst);
    if (ack && peer.baseKnown) {
      peer.onAck(s.ack);
    }
    if (ack && !syn && !fin && !rst && s.wireLength == 0) {
      history.once(fromA, 'a');
    }
    if (s.window == 0 && !rst && !syn) {
      history.counted(fromA, 'w');
    }
    if (rst) {
      x.rstSeen = true;
      rstSeen = true;
      history.withSeq(fromA, 'r', s.seq);
    }
    if (s.wireLength > 0 && !rst) {
      if (!rolesDecided) {
        decideByPayload(s);
      }
      history.once(fromA, 'd');
      if (rstBefore && !x.warnedAfterRst) {
        x.warnedAfterRst = true;
        anomaly(TcpReasons.DATA_AFTER_RST, s.wireLength + " payload bytes after a RST (reassembled; reported once "
            + "per direction)", s);
      }
      long start = x.toOffset((s.seq + (syn ? 1 : 0)) & HalfStream.MASK);
      x.data(s, start);
    } else if (s.wireLength > 0) {
      x.dropped += s.wireLength; // payload on a RST is not reassembled
    }
    if (fin) {
      long finOffset = x.toOffset((s.seq + (syn ? 1 : 0) + s.wireLength) & HalfStream.MASK);
      if (!x.finSeen || finOffset < x.finOffset) {
        x.finOffset = Math.max(finOffset, 0);
      }
      x.finSeen = true;
      history.withSeq(fromA, 'f', s.seq);
    }
    a.enforceLimits(s.ts, s);
    b.enforceLimits(s.ts, s);
  }

  /** Sets the side's ISN from a SYN; false when the SYN contradicts the side's stream (ignored, reported). */
  private boolean synSide(HalfStream x, TcpSegment s) {
    if (x.synSeen) {
      return true; // a retransmitted SYN: startsNewConnection() let it through only with the same ISN
    }
    if (x.baseKnown) {
      long off = x.toOffset((s.seq + 1) & HalfStream.MASK);
      if (off != 0 || x.next != 0) {
        anomaly(TcpReasons.SYN_INSIDE_CONNECTION, "SYN at stream offset " + off + " of a connection running since "
            + "stream offset 0 (next " + x.next + "); ignored", s);
        return false;
      }
    }
    x.isn = s.seq;
    x.baseKnown = true;
    x.synSeen = true;
    return true;
  }

  private void updateStates(HalfStream x, HalfStream peer, boolean syn, boolean ack, boolean fin, boolean rst) {
    if (rst) {
      x.endpointState = RESET;
      return;
    }
    if (x.endpointState == RESET) {
      return;
    }
    if (syn) {
      if (x.endpointState == INACTIVE || x.endpointState == PARTIAL) {
        x.endpointState = ack ? SYN_ACK_SENT : SYN_SENT;
      }
    } else {
      if (x.endpointState == INACTIVE) {
        x.endpointState = PARTIAL;
      }
      if (ack && (x.endpointState == SYN_SENT || x.endpointState == SYN_ACK_SENT)
          && (peer.endpointState == SYN_SENT || peer.endpointState == SYN_ACK_SENT
              || peer.endpointState == ESTABLISHED)) {
        x.endpointState = ESTABLISHED;
        if (peer.endpointState == SYN_SENT || peer.endpointState == SYN_ACK_SENT) {
          peer.endpointState = ESTABLISHED;
        }
      }
    }
    if (fin) {
      x.endpointState = CLOSED;
    }
  }

  // ---- roles ----

  private void decide(boolean aIsClient, RoleDecision how) {
    rolesDecided = true;
    clientIsA = aIsClient;
    decision = how;
  }

  private void decideByPayload(TcpSegment s) {
    int hint = owner.hint.guess(s.payload, s.payloadOffset, s.payloadLength);
    if (hint != 0) {
      decide(hint > 0 == s.fromA, RoleDecision.PAYLOAD);
    } else {
      decideByPorts();
    }
  }

  private void decideByPorts() {
    int server = Roles.serverByPorts(owner.portA, owner.portB);
    if (server != 0) {
      decide(server < 0, RoleDecision.PORTS);
    } else {
      decide(firstFromA, RoleDecision.FIRST_PACKET);
    }
  }

  /** Decides roles if needed and announces the connection; before any other callback. */
  private ConnectionInfo started() {
    if (info == null) {
      if (!rolesDecided) {
        decideByPorts();
      }
      info = new ConnectionInfo(index, startTs, clientIsA, clientIsA ? owner.portA : owner.portB,
          clientIsA ? owner.portB : owner.portA, decision, clientIsA != firstFromA);
      listener.connectionStart(info);
    }
    return info;
  }

  private TcpDirection direction(HalfStream h) {
    return h.isA == clientIsA ? TcpDirection.CLIENT_TO_SERVER : TcpDirection.SERVER_TO_CLIENT;
  }

  // ---- callbacks from the halves ----

  void deliver(HalfStream h, byte[] buf, int off, int len, long at, long ts) {
    started();
    listener.deliver(direction(h), buf, off, len, at, ts);
  }

  void gap(HalfStream h, long at, long len) {
    started();
    listener.gap(direction(h), at, len);
  }

  void overlapConflict(HalfStream h, long at, long len, TcpSegment s) {
    started();
    TcpDirection d = direction(h);
    listener.overlapConflict(d, at, len, s.ts);
    anomaly(TcpReasons.OVERLAP_CONFLICT, d + ": " + len + " bytes from stream offset " + at
        + " differ from the copy seen first (kept)", s);
  }

  void anomaly(String reason, String detail, TcpSegment s) {
    started();
    if (s == null) {
      listener.anomaly(reason, detail, endTs, -1, -1);
    } else {
      listener.anomaly(reason, detail, s.ts, s.captureFile, s.recordOffset);
    }
  }

  // ---- end ----

  void finish() {
    started();
    a.finish();
    b.finish();
    HalfStream client = clientIsA ? a : b;
    HalfStream server = clientIsA ? b : a;
    String hist = history.render(clientIsA, info.flipped());
    listener.connectionEnd(new FlowSummary(info, endTs, client.stats(), server.stats(), synSeen,
        connState(client, server, hist), hist));
  }

  /** Zeek's {@code conn_state} from the endpoint states (base/protocols/conn/main.zeek). */
  static String connState(HalfStream orig, HalfStream resp, String history) {
    int os = orig.endpointState;
    int rs = resp.endpointState;
    boolean oInactive = os == INACTIVE || os == PARTIAL;
    boolean rInactive = rs == INACTIVE || rs == PARTIAL;
    if (rs == RESET) {
      if (os == SYN_SENT || os == SYN_ACK_SENT || (os == RESET && orig.bytes == 0 && resp.bytes == 0)) {
        return "REJ";
      }
      return oInactive ? "RSTRH" : "RSTR";
    }
    if (os == RESET) {
      if (rInactive) {
        return RSTOS0.matcher(history).matches() ? "RSTOS0" : "OTH";
      }
      return "RSTO";
    }
    if (rs == CLOSED && os == CLOSED) {
      return "SF";
    }
    if (os == CLOSED) {
      return rInactive ? "SH" : "S2";
    }
    if (rs == CLOSED) {
      return oInactive ? "SHR" : "S3";
    }
    if (os == SYN_SENT && rs == INACTIVE) {
      return "S0";
    }
    if (os == ESTABLISHED && rs == ESTABLISHED) {
      return "S1";
    }
    return "OTH";
  }
}
