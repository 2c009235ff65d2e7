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
 * {@code 401} with {@code WWW-Authenticate: Bearer error="invalid_token"}. Every API request carries an
 * {@code X-Request-Id} ({@link #requestId}); health checks do not. With {@link Options#incidents()} (the default) it
 * also holds what the standard investigations look for ({@link Incidents}): a connection the client aborts with RST,
 * a response the capture missed a segment of, and, on the next day, the first client back with a new user agent and
 * a rotated token. Deterministic: the same options give the same bytes.
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
   * @param incidents whether to add the {@link Incidents} (needs at least 3 normal clients)
   */
  public record Options(long seed, Instant start, Duration span, int normalClients, Instant revokedAt,
                        boolean incidents) {
    public Options {
      if (normalClients < 1 || normalClients > 200 || span.isNegative() || revokedAt.isBefore(start)
          || incidents && normalClients < 3) {
        throw new IllegalArgumentException("bad sample options");
      }
    }

    /** Without incidents. */
    public Options(long seed, Instant start, Duration span, int normalClients, Instant revokedAt) {
      this(seed, start, span, normalClients, revokedAt, false);
    }

    /** Three hours from 2024-03-12 08:00 UTC, six clients, revocation at 10:00, with the incidents. */
    public static Options defaults() {
      Instant s = Instant.parse("2024-03-12T08:00:00Z");
      return new Options(20240312L, s, Duration.ofHours(3), 6, s.plus(Duration.ofHours(2)), true);
    }
  }

  /**
   * The incidents of {@link Options#incidents()}, for the notebooks' tests: client {@link #RESET_CLIENT} aborts one
   * connection with RST after its answer, one response to {@link #GAP_CLIENT} lacks a segment in the capture, and
   * on the next day (start + 1 day + 1 h) client {@link #RETURNING_CLIENT} comes back with user agent
   * {@link #NEW_USER_AGENT} and a rotated Bearer token.
   *
   * @param resets connections ended by RST
   * @param missingBytes bytes the capture misses (all in one server response)
   * @param rotatedToken the returning client's new token (null without incidents)
   * @param secondDayRequests requests on the next day
   */
  public record Incidents(int resets, long missingBytes, String rotatedToken, int secondDayRequests) {
    public static final String RESET_CLIENT = "10.0.1.12";
    public static final String GAP_CLIENT = "10.0.1.13";
    public static final String RETURNING_CLIENT = "10.0.1.11";
    public static final String NEW_USER_AGENT = "reporting-ui/3.0";
    static final Incidents NONE = new Incidents(0, 0, null, 0);
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
   * @param incidents what {@link Options#incidents()} added ({@link Incidents#NONE}-like zeros without)
   */
  public record Truth(int connections, int packets, int requests, int unauthorized, String revokedToken,
                     String offendingClient, Map<Integer, Integer> statusCounts, long firstUnauthorizedNanos,
                     Incidents incidents) {
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
    Incidents incidents = o.incidents() ? plan.incidents() : Incidents.NONE;
    plan.all.sort(Comparator.comparingLong(SynthPacket::tsNanos));
    long firstUnauthorized = plan.firstUnauthorized == Long.MAX_VALUE ? -1 : plan.firstUnauthorized;
    Truth t = new Truth(plan.connections, plan.all.size(), plan.requests, plan.status.getOrDefault(401, 0),
        plan.revokedToken, OFFENDING_CLIENT, plan.status, firstUnauthorized, incidents);
    return new Generated(plan.all, t);
  }

  /**
   * The {@code X-Request-Id} of the n-th API request (0-based, in generation order: each normal client in turn,
   * then the offending client, then the incidents) of a sample with this seed: a name-based UUID.
   */
  public static String requestId(long seed, int n) {
    return java.util.UUID.nameUUIDFromBytes(("pcaplake-sample:" + seed + ":" + n)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
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
    final Map<Integer, List<HttpTraffic.Header>> clientHeaders = new TreeMap<>();
    int connections;
    int requests;
    int requestIds;
    long missingBytes;
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
      clientHeaders.put(index, headers);
      long t = startNs + seconds(1, 120);
      int port = 49_152 + rnd.nextInt(8_000);
      while (t < endNs) {
        List<DemoApi.Exchange> xs = new ArrayList<>();
        int n = 1 + rnd.nextInt(6);
        for (int k = 0; k < n; k++) {
          int pick = rnd.nextInt(100);
          xs.add(pick < 40 ? DemoApi.listTransactions(withId(headers), gzipOk, rnd)
              : pick < 60 ? DemoApi.getAccount(withId(headers), rnd)
              : pick < 75 ? DemoApi.health(userAgent)
              : DemoApi.createTransaction(withId(headers), rnd));
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
          xs.add(DemoApi.listTransactions(withId(headers), false, rnd));
          t = connection(OFFENDING_CLIENT, port++, 0x02005e030007L, t, xs) + seconds(240, 360);
        } else {
          int retries = 1 + rnd.nextInt(3);
          for (int k = 0; k < retries; k++) {
            xs.add(DemoApi.revokedTokenRejected(withId(headers)));
          }
          t = connection(OFFENDING_CLIENT, port++, 0x02005e030007L, t, xs) + seconds(20, 45);
        }
      }
    }

    /** The headers plus the next request's {@code X-Request-Id}. */
    List<HttpTraffic.Header> withId(List<HttpTraffic.Header> headers) {
      List<HttpTraffic.Header> h = new ArrayList<>(headers);
      h.add(HttpTraffic.header("X-Request-Id", requestId(o.seed(), requestIds++)));
      return h;
    }

    /**
     * The incidents, from their own random sequence (the normal traffic stays as without them): a reset, a gap, and
     * the next day's returning client.
     */
    Incidents incidents() {
      Random r = new Random(o.seed() ^ 0x1dc1de17L);
      long t = startNs + Duration.ofMinutes(90).toNanos() + seconds(r, 1, 60);
      List<HttpTraffic.Header> h1 = clientHeaders.get(1);
      connection(r, Incidents.RESET_CLIENT, 60_001, 0x02005e010001L, t,
          List.of(DemoApi.getAccount(withId(h1), r), DemoApi.listTransactions(withId(h1), false, r)), 0, true);

      t = startNs + Duration.ofMinutes(135).toNanos() + seconds(r, 1, 60);
      DemoApi.Exchange export = DemoApi.exportTransactions(withId(clientHeaders.get(2)), 40, r);
      connection(r, Incidents.GAP_CLIENT, 60_002, 0x02005e010002L, t, List.of(export), 1, false);

      long iat = o.start().getEpochSecond() + 86_400;
      String rotated = DemoApi.jwt("user-0", iat, iat + 43_200, r);
      List<HttpTraffic.Header> h0 = DemoApi.clientHeaders(HttpTraffic.bearer(rotated), Incidents.NEW_USER_AGENT, true);
      t = startNs + Duration.ofHours(25).toNanos() + seconds(r, 1, 60);
      int before = requests;
      connection(r, Incidents.RETURNING_CLIENT, 60_003, 0x02005e010000L, t, List.of(
          DemoApi.listTransactions(withId(h0), true, r), DemoApi.getAccount(withId(h0), r),
          DemoApi.health(Incidents.NEW_USER_AGENT)), 0, false);
      return new Incidents(1, missingBytes, rotated, requests - before);
    }

    /** One keep-alive connection carrying the exchanges; returns the time of its last packet. */
    long connection(String clientIp, int port, long clientMac, long startAt, List<DemoApi.Exchange> xs) {
      return connection(rnd, clientIp, port, clientMac, startAt, xs, 0, false);
    }

    /**
     * One keep-alive connection; {@code dropSegment} &gt; 0 drops that segment of each response from the capture,
     * {@code reset} ends it with the client's RST instead of FINs.
     */
    long connection(Random rnd, String clientIp, int port, long clientMac, long startAt, List<DemoApi.Exchange> xs,
                    int dropSegment, boolean reset) {
      long rtt = 2 * (100 + rnd.nextInt(2_500)) * MICROS; // even microseconds: half-RTT steps stay whole µs
      TcpConversation c = TcpConversation.between(addr(clientIp), port, server, SERVER_PORT)
          .ethernet(clientMac, SERVER_MAC).isn(rnd.nextInt() & 0xffffffffL, rnd.nextInt() & 0xffffffffL)
          .start(startAt).rtt(rtt).mss(1448).timestamps(true).ipId(rnd.nextInt(0x10000)).open();
      c.handshake();
      for (DemoApi.Exchange x : xs) {
        c.clientSends(x.request()).idle((50 + rnd.nextInt(20_000)) * MICROS);
        if (dropSegment > 0) {
          c.sends(Side.SERVER, x.response(), Impairment.drop(dropSegment));
        } else {
          c.serverSends(x.response());
        }
        requests++;
        status.merge(x.status(), 1, Integer::sum);
        if (x.status() == 401) {
          firstUnauthorized = Math.min(firstUnauthorized, requestTime(c, x));
        }
        c.idle((100_000 + rnd.nextInt(3_000_000)) * MICROS);
      }
      for (StreamGap g : c.current().gaps()) {
        missingBytes += g.length();
      }
      if (reset) {
        c.rst(Side.CLIENT);
      } else {
        c.fin();
      }
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
      return seconds(rnd, min, max);
    }

    private static long seconds(Random rnd, int min, int max) {
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
