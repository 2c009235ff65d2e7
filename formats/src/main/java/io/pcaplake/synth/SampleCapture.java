package io.pcaplake.synth;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The demo capture for the README's first command: an HTTP API on 10.0.0.10:8000 used by several clients over a few
 * hours, and one client (10.0.3.7) that keeps sending a revoked Bearer token after the revocation time and gets
 * {@code 401} with {@code WWW-Authenticate: Bearer error="invalid_token"}. Deterministic: the same options give the
 * same bytes.
 */
public final class SampleCapture {
  public static final String SERVER = "10.0.0.10";
  public static final int SERVER_PORT = 8000;
  public static final String OFFENDING_CLIENT = "10.0.3.7";
  static final long SERVER_MAC = 0x02005e0a000aL;
  static final long MICROS = 1_000L;
  static final long SECOND = 1_000_000_000L;

  /**
   * @param seed the random seed
   * @param start capture start
   * @param span how long the capture covers
   * @param normalClients how many well-behaved clients (10.0.1.11, 10.0.1.12, ...)
   * @param revokedAt when the offending client's token is revoked; its requests after this get 401
   */
  public record Options(long seed, Instant start, Duration span, int normalClients, Instant revokedAt) {
    public Options {
      if (normalClients < 1 || normalClients > 200 || span.isNegative() || revokedAt.isBefore(start)) {
        throw new IllegalArgumentException("bad sample options");
      }
    }

    /** Three hours from 2024-03-12 08:00 UTC, six clients, revocation at 10:00. */
    public static Options defaults() {
      Instant s = Instant.parse("2024-03-12T08:00:00Z");
      return new Options(20240312L, s, Duration.ofHours(3), 6, s.plus(Duration.ofHours(2)));
    }
  }

  /**
   * What the capture holds, for tests and the README to assert against.
   *
   * @param connections TCP connections (each with a handshake and FIN)
   * @param packets capture records
   * @param requests HTTP requests (each answered)
   * @param unauthorized 401 responses (all to the offending client, after {@code revokedAt})
   * @param revokedToken the Bearer token the offending client keeps sending
   * @param offendingClient its IP address
   * @param statusCounts responses by status code
   * @param firstUnauthorizedNanos capture time of the first request that got 401
   */
  public record Truth(int connections, int packets, int requests, int unauthorized, String revokedToken,
                     String offendingClient, Map<Integer, Integer> statusCounts, long firstUnauthorizedNanos) {
    public Truth {
      statusCounts = Map.copyOf(statusCounts);
    }
  }

  /** The packets, in capture order, and their ground truth. */
  public record Generated(List<SynthPacket> packets, Truth truth) {
    public Generated {
      packets = List.copyOf(packets);
    }
  }

  private SampleCapture() { }

  /** Writes the default sample capture. */
  public static Truth write(Path out, Format format) throws IOException {
    return write(out, format, Options.defaults());
  }

  public static Truth write(Path out, Format format, Options options) throws IOException {
    Generated g = generate(options);
    CaptureFiles.write(out, format, g.packets());
    return g.truth();
  }

  public static Generated generate(Options o) {
    Random rnd = new Random(o.seed());
    Plan plan = new Plan(o, rnd);
    for (int i = 0; i < o.normalClients(); i++) {
      plan.normalClient("10.0.1." + (11 + i), i, "reporting-ui/2." + i, i % 3 != 2);
    }
    plan.offendingClient();
    plan.all.sort(Comparator.comparingLong(SynthPacket::tsNanos));
    long firstUnauthorized = plan.firstUnauthorized == Long.MAX_VALUE ? -1 : plan.firstUnauthorized;
    Truth t = new Truth(plan.connections, plan.all.size(), plan.requests, plan.status.getOrDefault(401, 0),
        plan.revokedToken, OFFENDING_CLIENT, plan.status, firstUnauthorized);
    return new Generated(plan.all, t);
  }

  /** Usage: {@code SampleCapture OUT [pcap|pcapng]}. Prints the ground truth. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: SampleCapture OUT [pcap|pcapng]");
      System.exit(2);
    }
    Format f = args.length > 1 && args[1].equalsIgnoreCase("pcap") ? Format.PCAP : Format.PCAPNG;
    System.out.println(write(Path.of(args[0]), f));
  }

  /** Schedules every client's connections and collects their packets and counts. */
  private static final class Plan {
    final Options o;
    final Random rnd;
    final long startNs;
    final long endNs;
    final long revokedNs;
    final InetAddress server = addr(SERVER);
    final List<SynthPacket> all = new ArrayList<>();
    final Map<Integer, Integer> status = new TreeMap<>();
    final String revokedToken;
    int connections;
    int requests;
    long firstUnauthorized = Long.MAX_VALUE;

    Plan(Options o, Random rnd) {
      this.o = o;
      this.rnd = rnd;
      this.startNs = o.start().getEpochSecond() * SECOND;
      this.endNs = startNs + o.span().toNanos();
      this.revokedNs = o.revokedAt().getEpochSecond() * SECOND;
      long iat = o.start().getEpochSecond() - 3600;
      this.revokedToken = DemoApi.jwt("svc-reconciler", iat, iat + 86_400, rnd);
    }

    void normalClient(String ip, int index, String userAgent, boolean bearer) {
      long iat = o.start().getEpochSecond() - 600;
      HttpTraffic.Header auth = bearer ? HttpTraffic.bearer(DemoApi.jwt("user-" + index, iat, iat + 43_200, rnd))
          : HttpTraffic.basic("batch-" + index, "s3cret-" + index);
      boolean gzipOk = index % 2 == 0;
      List<HttpTraffic.Header> headers = DemoApi.clientHeaders(auth, userAgent, gzipOk);
      long t = startNs + seconds(1, 120);
      int port = 49_152 + rnd.nextInt(8_000);
      while (t < endNs) {
        List<DemoApi.Exchange> xs = new ArrayList<>();
        int n = 1 + rnd.nextInt(6);
        for (int k = 0; k < n; k++) {
          int pick = rnd.nextInt(100);
          xs.add(pick < 40 ? DemoApi.listTransactions(headers, gzipOk, rnd)
              : pick < 60 ? DemoApi.getAccount(headers, rnd)
              : pick < 75 ? DemoApi.health(userAgent)
              : DemoApi.createTransaction(headers, rnd));
        }
        t = connection(ip, port++, 0x02005e010000L + index, t, xs) + seconds(20, 300);
      }
    }

    void offendingClient() {
      HttpTraffic.Header auth = HttpTraffic.bearer(revokedToken);
      List<HttpTraffic.Header> headers = DemoApi.clientHeaders(auth, "reconciler/1.4 (python-requests/2.31)", false);
      long t = startNs + seconds(30, 90);
      int port = 51_000;
      while (t < endNs) {
        List<DemoApi.Exchange> xs = new ArrayList<>();
        if (t < revokedNs) {
          xs.add(DemoApi.listTransactions(headers, false, rnd));
          t = connection(OFFENDING_CLIENT, port++, 0x02005e030007L, t, xs) + seconds(240, 360);
        } else {
          int retries = 1 + rnd.nextInt(3);
          for (int k = 0; k < retries; k++) {
            xs.add(DemoApi.revokedTokenRejected(headers));
          }
          t = connection(OFFENDING_CLIENT, port++, 0x02005e030007L, t, xs) + seconds(20, 45);
        }
      }
    }

    /** One keep-alive connection carrying the exchanges; returns the time of its last packet. */
    long connection(String clientIp, int port, long clientMac, long startAt, List<DemoApi.Exchange> xs) {
      long rtt = 2 * (100 + rnd.nextInt(2_500)) * MICROS; // even microseconds: half-RTT steps stay whole µs
      TcpConversation c = TcpConversation.between(addr(clientIp), port, server, SERVER_PORT)
          .ethernet(clientMac, SERVER_MAC).isn(rnd.nextInt() & 0xffffffffL, rnd.nextInt() & 0xffffffffL)
          .start(startAt).rtt(rtt).mss(1448).timestamps(true).ipId(rnd.nextInt(0x10000)).open();
      c.handshake();
      for (DemoApi.Exchange x : xs) {
        c.clientSends(x.request()).idle((50 + rnd.nextInt(20_000)) * MICROS).serverSends(x.response());
        requests++;
        status.merge(x.status(), 1, Integer::sum);
        if (x.status() == 401) {
          firstUnauthorized = Math.min(firstUnauthorized, requestTime(c, x));
        }
        c.idle((100_000 + rnd.nextInt(3_000_000)) * MICROS);
      }
      c.fin();
      connections++;
      all.addAll(c.packets());
      return c.clock();
    }

    /** Capture time of the first packet of the last request's bytes (the last client data packet of that size). */
    private static long requestTime(TcpConversation c, DemoApi.Exchange x) {
      List<SynthPacket> ps = c.packets();
      for (int i = ps.size() - 1; i >= 0; i--) {
        byte[] f = ps.get(i).frame();
        if (f.length >= x.request().length && endsWith(f, x.request())) {
          return ps.get(i).tsNanos();
        }
      }
      throw new IllegalStateException("request not found");
    }

    private static boolean endsWith(byte[] f, byte[] tail) {
      int off = f.length - tail.length;
      return java.util.Arrays.equals(f, off, f.length, tail, 0, tail.length);
    }

    private long seconds(int min, int max) {
      return (min * 1_000_000L + (long) (rnd.nextDouble() * (max - min) * 1_000_000L)) * MICROS;
    }
  }

  static InetAddress addr(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }
}
