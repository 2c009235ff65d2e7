package io.pcaplake.synth;

import io.pcaplake.capture.PcapWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Writes a large classic pcap (µs, little-endian, Ethernet) of many concurrent TCP connections for benchmarks,
 * streamed to disk through {@link PcapWriter}: each frame is built in one reused buffer, nothing grows with the file
 * size.
 *
 * <p>Every connection has a handshake, data both ways with consistent sequence and ACK numbers, and a FIN exchange;
 * then its slot opens a new connection. Payload sizes mix full segments (MSS 1460) and small ones. Checksums are
 * real: the IPv4 header checksum is computed per packet (20 bytes), the TCP checksum from a per-flow pseudo-header
 * sum, the 20-byte header and a prefix-sum lookup of the payload slice, so it costs O(1) per packet.
 *
 * <p>The mixed variant tags half the flows with 802.1Q (a tenth of those QinQ) and makes a third IPv6.
 */
public final class BulkCapture {
  static final int MSS = 1460;
  static final int MAX_FRAME = 14 + 8 + 40 + 20 + MSS;
  static final int MAX_RECORD = PcapWriter.RECORD_HEADER_LENGTH + MAX_FRAME;
  static final int SERVER_PORT = 443;
  static final long SEQ_MASK = 0xffffffffL;

  /**
   * @param targetBytes stop after the first record that makes the file at least this large
   * @param connections concurrent connection slots
   * @param mixed VLAN tags and IPv6 on part of the flows
   * @param seed random seed; same options give the same file
   * @param startNanos timestamp of the first packet
   * @param single one connection that carries data until the file is large enough, then closes with FINs
   *     (implies one slot): for single-connection benchmarks (e.g. a 2 GB stream, sequence numbers wrapping)
   */
  public record Options(long targetBytes, int connections, boolean mixed, long seed, long startNanos,
                        boolean single) {
    public Options {
      if (targetBytes < PcapWriter.FILE_HEADER_LENGTH || connections < 1 || connections > 60_000) {
        throw new IllegalArgumentException("bad bulk options");
      }
      if (single) {
        connections = 1;
      }
    }

    public Options(long targetBytes, int connections, boolean mixed, long seed, long startNanos) {
      this(targetBytes, connections, mixed, seed, startNanos, false);
    }

    /** One connection of about {@code targetBytes} (see {@code single}). */
    public static Options single(long targetBytes) {
      return new Options(targetBytes, 1, false, 42, 1_710_230_400_000_000_000L, true);
    }

    public static Options of(long targetBytes, boolean mixed) {
      return new Options(targetBytes, 2_000, mixed, 42, 1_710_230_400_000_000_000L);
    }
  }

  /** What was written and how fast. */
  public record Result(long bytes, long packets, long connections, long elapsedNanos) {
    public double megabytesPerSecond() {
      return bytes / 1e6 / (elapsedNanos / 1e9);
    }
  }

  private final Options o;
  private final PayloadPool pool;
  private final BulkFlow[] flows;
  private final byte[] buf = new byte[MAX_FRAME];
  private PcapWriter out;
  private long written;
  private long packets;
  private long connectionsOpened;
  private long clock;
  private long rng;

  private BulkCapture(Options o) {
    this.o = o;
    this.pool = new PayloadPool(o.seed());
    this.rng = o.seed() * 0x9e3779b97f4a7c15L + 1;
    this.clock = o.startNanos();
    this.flows = new BulkFlow[o.connections()];
    for (int i = 0; i < flows.length; i++) {
      flows[i] = newFlow(i);
      open(flows[i]);
    }
  }

  public static Result write(Path out, Options options) throws IOException {
    long t0 = System.nanoTime();
    BulkCapture g = new BulkCapture(options);
    try (OutputStream os = new FileOutputStream(out.toFile())) {
      g.run(os);
    }
    return new Result(g.written, g.packets, g.connectionsOpened, System.nanoTime() - t0);
  }

  /**
   * Usage: {@code BulkCapture OUT SIZE [--mixed | --single] [--seed N] [--start-ns NANOS]}; SIZE like 1g, 500m,
   * 123456. {@code --seed} and {@code --start-ns} let a script write distinct, time-ordered files of one archive.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: BulkCapture OUT SIZE[k|m|g] [--mixed | --single] [--seed N] [--start-ns NANOS]");
      System.exit(2);
    }
    boolean mixed = false;
    boolean single = false;
    Options d = Options.of(parseSize(args[1]), false);
    long seed = d.seed();
    long start = d.startNanos();
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "--mixed" -> mixed = true;
        case "--single" -> single = true;
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--start-ns" -> start = Long.parseLong(args[++i]);
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    Result r = write(Path.of(args[0]),
        new Options(d.targetBytes(), d.connections(), mixed && !single, seed, start, single));
    System.out.printf("%s: %d bytes, %d packets, %d connections, %.0f MB/s%n", args[0], r.bytes(), r.packets(),
        r.connections(), r.megabytesPerSecond());
  }

  static long parseSize(String s) {
    String t = s.trim().toLowerCase(java.util.Locale.ROOT);
    long mult = t.endsWith("g") ? 1L << 30 : t.endsWith("m") ? 1L << 20 : t.endsWith("k") ? 1L << 10 : 1;
    return Long.parseLong(mult == 1 ? t : t.substring(0, t.length() - 1)) * mult;
  }

  private void run(OutputStream os) throws IOException {
    out = new PcapWriter(os, ByteOrder.LITTLE_ENDIAN, false, CaptureFiles.SNAPLEN, LinkTypes.ETHERNET);
    written = PcapWriter.FILE_HEADER_LENGTH;
    while (written < o.targetBytes()) {
      step(flows[(int) ((next() >>> 33) % flows.length)]);
    }
    if (o.single()) {
      // Close the one connection: FIN, FIN, last ACK (three records past the target).
      BulkFlow f = flows[0];
      if (f.state == BulkFlow.STATE_DATA) {
        f.state = BulkFlow.STATE_FIN_CLIENT;
      }
      for (int i = 0; i < 3 && f.state >= BulkFlow.STATE_FIN_CLIENT; i++) {
        boolean last = f.state == BulkFlow.STATE_LAST_ACK;
        step(f);
        if (last) {
          connectionsOpened--;
          break;
        }
      }
    }
    out.flush();
  }

  private BulkFlow newFlow(int i) {
    long r = next();
    boolean v6 = o.mixed() && (r & 0xff) < 85;
    boolean tagged = o.mixed() && (r >>> 8 & 1) == 0;
    boolean qinq = tagged && (r >>> 9 & 0xf) < 2;
    int vid = 100 + (int) (r >>> 16 & 0x7ff);
    long clientMac = 0x020000000000L | i;
    long serverMac = 0x02000000ffffL;
    Link link = !tagged ? Link.ethernet(clientMac, serverMac)
        : qinq ? Link.ethernet(clientMac, serverMac, 10, vid) : Link.ethernet(clientMac, serverMac, vid);
    InetAddress client = v6 ? addr("2001:db8:1::" + Integer.toHexString(i + 1))
        : addr("10." + (1 + i / 65_000) + "." + (i / 250 % 250) + "." + (1 + i % 250));
    InetAddress server = v6 ? addr("2001:db8::" + Integer.toHexString(1 + i % 16)) : addr("10.0.0." + (1 + i % 16));
    return new BulkFlow(link, client, server, 1024 + (int) (r >>> 32 & 0x7fff), SERVER_PORT);
  }

  private void open(BulkFlow f) {
    f.clientPort = f.clientPort >= 65_000 ? 1024 : f.clientPort + 1;
    f.rebuild();
    f.state = BulkFlow.STATE_SYN;
    f.clientSeq = next() & 0xffffffffL;
    f.serverSeq = next() & 0xffffffffL;
    f.dataLeft = 4 + (int) ((next() >>> 40) % 400);
    f.sinceAck = 0;
    connectionsOpened++;
  }

  /** Emits the flow's next packet. */
  private void step(BulkFlow f) throws IOException {
    clock += 1_000 * (1 + (next() >>> 60));
    switch (f.state) {
      case BulkFlow.STATE_SYN -> {
        emit(f, 0, f.clientSeq, 0, TcpHeader.SYN, 0, 0);
        f.clientSeq = (f.clientSeq + 1) & SEQ_MASK;
        f.state = BulkFlow.STATE_SYN_ACK;
      }
      case BulkFlow.STATE_SYN_ACK -> {
        emit(f, 1, f.serverSeq, f.clientSeq, TcpHeader.SYN | TcpHeader.ACK, 0, 0);
        f.serverSeq = (f.serverSeq + 1) & SEQ_MASK;
        f.state = BulkFlow.STATE_ACK;
      }
      case BulkFlow.STATE_ACK -> {
        emit(f, 0, f.clientSeq, f.serverSeq, TcpHeader.ACK, 0, 0);
        f.state = BulkFlow.STATE_DATA;
      }
      case BulkFlow.STATE_DATA -> data(f);
      case BulkFlow.STATE_FIN_CLIENT -> {
        emit(f, 0, f.clientSeq, f.serverSeq, TcpHeader.FIN | TcpHeader.ACK, 0, 0);
        f.clientSeq = (f.clientSeq + 1) & SEQ_MASK;
        f.state = BulkFlow.STATE_FIN_SERVER;
      }
      case BulkFlow.STATE_FIN_SERVER -> {
        emit(f, 1, f.serverSeq, f.clientSeq, TcpHeader.FIN | TcpHeader.ACK, 0, 0);
        f.serverSeq = (f.serverSeq + 1) & SEQ_MASK;
        f.state = BulkFlow.STATE_LAST_ACK;
      }
      default -> {
        emit(f, 0, f.clientSeq, f.serverSeq, TcpHeader.ACK, 0, 0);
        open(f);
      }
    }
  }

  /** Data phase: mostly server segments (60% full MSS, else 1..600 bytes), a client ACK every two, small requests. */
  private void data(BulkFlow f) throws IOException {
    long r = next();
    if (f.sinceAck >= 2) {
      emit(f, 0, f.clientSeq, f.serverSeq, TcpHeader.ACK, 0, 0);
      f.sinceAck = 0;
    } else if ((r & 0xff) < 26) {
      int len = 100 + (int) (r >>> 8 & 0x1ff);
      emit(f, 0, f.clientSeq, f.serverSeq, TcpHeader.ACK | TcpHeader.PSH, len, r >>> 20);
      f.clientSeq = (f.clientSeq + len) & SEQ_MASK;
    } else {
      int len = (r >>> 8 & 0xff) < 153 ? MSS : 1 + (int) ((r >>> 16 & 0xffff) % 600);
      emit(f, 1, f.serverSeq, f.clientSeq, TcpHeader.ACK | (len < MSS ? TcpHeader.PSH : 0), len, r >>> 32);
      f.serverSeq = (f.serverSeq + len) & SEQ_MASK;
      f.sinceAck++;
    }
    if (--f.dataLeft <= 0 && !o.single()) {
      f.state = BulkFlow.STATE_FIN_CLIENT;
    }
  }

  /** Writes one record: patched template, payload slice, checksums. */
  private void emit(BulkFlow f, int dir, long seq, long ack, int flags, int len, long payloadPick) throws IOException {
    byte[] t = f.template[dir];
    int hl = t.length;
    int caplen = hl + len;
    System.arraycopy(t, 0, buf, 0, hl);
    int payloadOff = (int) (payloadPick % (PayloadPool.SIZE - MSS)) & ~1;
    System.arraycopy(pool.bytes, payloadOff, buf, hl, len);
    int ip = f.ipOffset;
    int tcp = hl - Frames.TCP_HEADER;
    int tcpLen = Frames.TCP_HEADER + len;
    if (f.v6) {
      Checksums.put16(buf, ip + 4, tcpLen);
    } else {
      Checksums.put16(buf, ip + 2, Frames.IPV4_HEADER + tcpLen);
      Checksums.put16(buf, ip + 4, f.ipId++);
      buf[ip + 10] = 0;
      buf[ip + 11] = 0;
      Checksums.put16(buf, ip + 10, Checksums.finish(Checksums.sum(buf, ip, Frames.IPV4_HEADER)));
    }
    Checksums.put32(buf, tcp + 4, seq);
    Checksums.put32(buf, tcp + 8, ack);
    buf[tcp + 13] = (byte) flags;
    buf[tcp + 16] = 0;
    buf[tcp + 17] = 0;
    long sum = f.pseudoSum[dir] + tcpLen + Checksums.sum(buf, tcp, Frames.TCP_HEADER) + pool.sum(payloadOff, len);
    Checksums.put16(buf, tcp + 16, Checksums.finish(sum));
    out.write(clock, buf, 0, caplen, caplen); // µs timestamps: the writer truncates clock to whole microseconds
    written += PcapWriter.RECORD_HEADER_LENGTH + caplen;
    packets++;
  }

  /** xorshift64*: fast, deterministic, good enough for traffic shapes. */
  private long next() {
    rng ^= rng >>> 12;
    rng ^= rng << 25;
    rng ^= rng >>> 27;
    return rng * 0x2545f4914f6cdd1dL;
  }

  private static InetAddress addr(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(s, e);
    }
  }
}
