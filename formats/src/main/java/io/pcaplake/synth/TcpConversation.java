package io.pcaplake.synth;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Scripts one TCP 5-tuple: a handshake, data each way segmented at the MSS or at chosen sizes, ACKs, FIN/RST, and
 * chosen impairments; then a new connection on the same 5-tuple if wanted (port reuse). Packets come out in capture
 * time order. Sequence numbers are modulo 2^32, so an ISN near 2^32 wraps.
 *
 * <p>Timing: packets of one flight are {@link Builder#segmentGap} apart; the peer answers (ACK, SYN-ACK) half an RTT
 * later; a retransmission comes one RTO ({@code 2 * rtt}) after the flight. {@link #idle} advances the clock (think
 * time). Not calling {@link #handshake} gives a connection already running when the capture started.
 *
 * <pre>{@code
 * TcpConversation c = TcpConversation.between(client, 40001, server, 8000).isn(1000, 5000).open();
 * c.handshake().clientSends(request).serverSends(response).fin();
 * List<SynthPacket> packets = c.packets();
 * }</pre>
 */
public final class TcpConversation {
  static final long SEQ_MOD = 1L << 32;
  static final int TS_HZ_DIVISOR = 1_000_000;

  private final Builder cfg;
  private final List<SynthPacket> packets = new ArrayList<>();
  private final List<ConnectionTruth> finished = new ArrayList<>();
  private final Map<Side, Integer> ipIds = new EnumMap<>(Side.class);
  private long clock;
  private int index;
  private long clientIsn;
  private long serverIsn;
  private final Map<Side, Long> nextSeq = new EnumMap<>(Side.class);
  private final Map<Side, Boolean> finSent = new EnumMap<>(Side.class);
  private final Map<Side, ByteArrayOutputStream> sent = new EnumMap<>(Side.class);
  private final List<StreamGap> gaps = new ArrayList<>();
  private boolean handshakeDone;

  private TcpConversation(Builder cfg) {
    this.cfg = cfg;
    this.clock = cfg.startNanos;
    ipIds.put(Side.CLIENT, cfg.firstIpId);
    ipIds.put(Side.SERVER, cfg.firstIpId + 0x4000);
    reset(cfg.clientIsn, cfg.serverIsn);
  }

  /** Starts configuring a conversation between two endpoints of one address family. */
  public static Builder between(InetAddress client, int clientPort, InetAddress server, int serverPort) {
    return new Builder(client, clientPort, server, serverPort);
  }

  /** Settings of a conversation; {@link #open()} starts it. */
  public static final class Builder {
    private final InetAddress client;
    private final int clientPort;
    private final InetAddress server;
    private final int serverPort;
    private Link link = Link.of(LinkTypes.ETHERNET);
    private long clientIsn = 1_000;
    private long serverIsn = 5_000;
    private long startNanos = 1_700_000_000_000_000_000L;
    private long rttNanos = 2_000_000;
    private long segmentGapNanos = 10_000;
    private int mss = 1460;
    private int window = TcpHeader.DEFAULT_WINDOW;
    private boolean timestamps;
    private int firstIpId = 1;
    private int ttl = Ipv4Header.DEFAULT_TTL;

    private Builder(InetAddress client, int clientPort, InetAddress server, int serverPort) {
      this.client = client;
      this.clientPort = clientPort;
      this.server = server;
      this.serverPort = serverPort;
      IpHeader.between(client, server);
    }

    /** The link as seen for client-to-server packets; server-to-client uses {@link Link#reversed()}. */
    public Builder link(Link l) {
      this.link = l;
      return this;
    }

    public Builder ethernet(long clientMac, long serverMac, int... vlanTags) {
      return link(Link.ethernet(clientMac, serverMac, vlanTags));
    }

    public Builder isn(long client, long server) {
      this.clientIsn = client & 0xffffffffL;
      this.serverIsn = server & 0xffffffffL;
      return this;
    }

    public Builder start(long tsNanos) {
      this.startNanos = tsNanos;
      return this;
    }

    public Builder rtt(long nanos) {
      this.rttNanos = nanos;
      return this;
    }

    public Builder segmentGap(long nanos) {
      this.segmentGapNanos = nanos;
      return this;
    }

    public Builder mss(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("mss " + bytes);
      }
      this.mss = bytes;
      return this;
    }

    public Builder window(int w) {
      this.window = w;
      return this;
    }

    /** Put MSS/SACK-permitted/timestamps/window-scale on SYNs and timestamps on every segment. */
    public Builder timestamps(boolean on) {
      this.timestamps = on;
      return this;
    }

    public Builder ipId(int first) {
      this.firstIpId = first;
      return this;
    }

    public Builder ttl(int t) {
      this.ttl = t;
      return this;
    }

    public TcpConversation open() {
      return new TcpConversation(this);
    }
  }

  // ---- script ----

  /** SYN, SYN-ACK, ACK. */
  public TcpConversation handshake() {
    if (handshakeDone || sentAny()) {
      throw new IllegalStateException("handshake after data or twice; use newConnection() for port reuse");
    }
    emit(Side.CLIENT, clientIsn, 0, TcpHeader.SYN, new byte[0], true);
    clock += cfg.rttNanos / 2;
    emit(Side.SERVER, serverIsn, clientIsn + 1, TcpHeader.SYN | TcpHeader.ACK, new byte[0], true);
    clock += cfg.rttNanos / 2;
    emit(Side.CLIENT, clientIsn + 1, serverIsn + 1, TcpHeader.ACK, new byte[0], false);
    handshakeDone = true;
    return this;
  }

  public TcpConversation clientSends(byte[] data) {
    return send(Side.CLIENT, data, mssSizes(data.length), Impairment.NONE);
  }

  public TcpConversation serverSends(byte[] data) {
    return send(Side.SERVER, data, mssSizes(data.length), Impairment.NONE);
  }

  public TcpConversation sends(Side side, byte[] data, Impairment impairment) {
    return send(side, data, mssSizes(data.length), impairment);
  }

  /**
   * Sends {@code data} from {@code side} as segments of exactly the given sizes (their sum must be the data length),
   * with impairments by segment index, then the peer's cumulative ACK.
   */
  public TcpConversation send(Side side, byte[] data, int[] segmentSizes, Impairment impairment) {
    if (finSent.get(side)) {
      throw new IllegalStateException(side + " already sent FIN");
    }
    int total = 0;
    for (int s : segmentSizes) {
      if (s <= 0) {
        throw new IllegalArgumentException("segment size " + s);
      }
      total += s;
    }
    if (total != data.length) {
      throw new IllegalArgumentException("segment sizes sum to " + total + ", data has " + data.length);
    }
    int n = segmentSizes.length;
    int[] offsets = new int[n];
    for (int i = 1; i < n; i++) {
      offsets[i] = offsets[i - 1] + segmentSizes[i - 1];
    }
    long base = nextSeq.get(side);
    long streamBase = sent.get(side).size();
    long ack = nextSeq.get(side.other());
    for (int i : impairment.emissionOrder(n)) {
      byte[] seg = java.util.Arrays.copyOfRange(data, offsets[i], offsets[i] + segmentSizes[i]);
      int flags = TcpHeader.ACK | (i == n - 1 ? TcpHeader.PSH : 0);
      long seq = base + offsets[i];
      if (impairment.drop().contains(i)) {
        if (!impairment.retransmit().contains(i)) {
          gaps.add(new StreamGap(side, streamBase + offsets[i], segmentSizes[i]));
        }
      } else {
        emit(side, seq, ack, flags, seg, false);
        if (impairment.duplicate().contains(i)) {
          emitCopy();
        }
        if (impairment.conflict().contains(i)) {
          byte[] other = seg.clone();
          for (int k = 0; k < other.length; k++) {
            other[k] ^= (byte) 0xff;
          }
          emit(side, seq, ack, flags, other, false);
        }
      }
      clock += cfg.segmentGapNanos;
    }
    List<Integer> again = new ArrayList<>(impairment.retransmit());
    Collections.sort(again);
    if (!again.isEmpty()) {
      clock += 2 * cfg.rttNanos;
      for (int i : again) {
        emit(side, base + offsets[i], ack, TcpHeader.ACK | TcpHeader.PSH,
            java.util.Arrays.copyOfRange(data, offsets[i], offsets[i] + segmentSizes[i]), false);
        clock += cfg.segmentGapNanos;
      }
    }
    sent.get(side).writeBytes(data);
    nextSeq.put(side, (base + data.length) % SEQ_MOD);
    if (n > 0) {
      clock += cfg.rttNanos / 2;
      emit(side.other(), nextSeq.get(side.other()), nextSeq.get(side), TcpHeader.ACK, new byte[0], false);
    }
    return this;
  }

  /** Both sides close: client FIN, server FIN-ACK, client ACK. */
  public TcpConversation fin() {
    halfClose(Side.CLIENT);
    return halfClose(Side.SERVER);
  }

  /** {@code side} sends FIN (half-close); the peer ACKs it. */
  public TcpConversation halfClose(Side side) {
    if (finSent.get(side)) {
      throw new IllegalStateException(side + " already sent FIN");
    }
    emit(side, nextSeq.get(side), nextSeq.get(side.other()), TcpHeader.FIN | TcpHeader.ACK, new byte[0], false);
    nextSeq.put(side, (nextSeq.get(side) + 1) % SEQ_MOD);
    finSent.put(side, true);
    clock += cfg.rttNanos / 2;
    emit(side.other(), nextSeq.get(side.other()), nextSeq.get(side), TcpHeader.ACK, new byte[0], false);
    return this;
  }

  /** {@code side} aborts the connection with RST. */
  public TcpConversation rst(Side side) {
    emit(side, nextSeq.get(side), nextSeq.get(side.other()), TcpHeader.RST | TcpHeader.ACK, new byte[0], false);
    finSent.put(side, true);
    finSent.put(side.other(), true);
    return this;
  }

  /** Advances the capture clock (think time between exchanges). */
  public TcpConversation idle(long nanos) {
    clock += nanos;
    return this;
  }

  /**
   * Ends the current connection's record and starts a new one on the same 5-tuple (port reuse), with new ISNs. Call
   * {@link #handshake()} next for a normal connection.
   */
  public TcpConversation newConnection(long newClientIsn, long newServerIsn) {
    finished.add(current());
    index++;
    reset(newClientIsn & 0xffffffffL, newServerIsn & 0xffffffffL);
    return this;
  }

  // ---- results ----

  /** Packets so far, in capture time order. */
  public List<SynthPacket> packets() {
    return Collections.unmodifiableList(packets);
  }

  /** Every connection so far, the current one last. */
  public List<ConnectionTruth> connections() {
    List<ConnectionTruth> all = new ArrayList<>(finished);
    all.add(current());
    return all;
  }

  public ConnectionTruth current() {
    return new ConnectionTruth(index, clientIsn, serverIsn, handshakeDone, sent.get(Side.CLIENT).toByteArray(),
        sent.get(Side.SERVER).toByteArray(), gaps);
  }

  /** The capture clock: the time the next packet would get. */
  public long clock() {
    return clock;
  }

  // ---- internals ----

  private void reset(long cIsn, long sIsn) {
    clientIsn = cIsn;
    serverIsn = sIsn;
    nextSeq.put(Side.CLIENT, (cIsn + 1) % SEQ_MOD);
    nextSeq.put(Side.SERVER, (sIsn + 1) % SEQ_MOD);
    finSent.put(Side.CLIENT, false);
    finSent.put(Side.SERVER, false);
    sent.put(Side.CLIENT, new ByteArrayOutputStream());
    sent.put(Side.SERVER, new ByteArrayOutputStream());
    gaps.clear();
    handshakeDone = false;
  }

  private boolean sentAny() {
    return sent.get(Side.CLIENT).size() > 0 || sent.get(Side.SERVER).size() > 0;
  }

  private int[] mssSizes(int length) {
    int n = (length + cfg.mss - 1) / cfg.mss;
    int[] sizes = new int[n];
    for (int i = 0; i < n; i++) {
      sizes[i] = Math.min(cfg.mss, length - i * cfg.mss);
    }
    return sizes;
  }

  private void emitCopy() {
    SynthPacket last = packets.get(packets.size() - 1);
    packets.add(new SynthPacket(last.tsNanos() + 1_000, last.linkType(), last.frame(), last.origlen()));
    clock = Math.max(clock, last.tsNanos() + 1_000);
  }

  private void emit(Side side, long seq, long ack, int flags, byte[] payload, boolean syn) {
    IpHeader ip = side == Side.CLIENT ? IpHeader.between(cfg.client, cfg.server)
        : IpHeader.between(cfg.server, cfg.client);
    if (ip instanceof Ipv4Header v4) {
      ip = v4.withTtl(cfg.ttl);
    }
    int id = ipIds.get(side);
    ipIds.put(side, id + 1);
    ip = ip.withId(id);
    int sport = side == Side.CLIENT ? cfg.clientPort : cfg.serverPort;
    int dport = side == Side.CLIENT ? cfg.serverPort : cfg.clientPort;
    TcpOptions opts = TcpOptions.NONE;
    if (syn) {
      opts = cfg.timestamps ? TcpOptions.syn(cfg.mss, 7, tsVal(side)) : new TcpOptions(cfg.mss, -1, false, false, 0, 0);
    } else if (cfg.timestamps) {
      opts = TcpOptions.timestamps(tsVal(side), tsVal(side.other()));
    }
    TcpHeader th = new TcpHeader(sport, dport, seq, ack, flags, cfg.window, opts);
    Link link = side == Side.CLIENT ? cfg.link : cfg.link.reversed();
    byte[] frame = Frames.tcpFrame(link, ip, th, payload);
    packets.add(SynthPacket.of(clock, link.linkType(), frame));
  }

  private long tsVal(Side side) {
    long ms = clock / TS_HZ_DIVISOR;
    return (side == Side.CLIENT ? ms : ms + 7_777_777) & 0xffffffffL;
  }
}
