package io.pcaplake.http;

import io.pcaplake.synth.HttpTraffic;
import io.pcaplake.tcp.TcpDirection;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Not a test: {@code scripts/bench-http} (or {@code java -cp ... io.pcaplake.http.HttpThroughput}) prints the parser's
 * MB/s and exchanges/s on one thread: single large bodies (Content-Length, chunked, gzip), a keep-alive connection of
 * mixed small and large, gzip and chunked responses, and small messages. Best of N rounds (JIT warm), 1448-byte
 * deliveries, default limits.
 */
public final class HttpThroughput {
  public static void main(String[] args) {
    byte[] big = new byte[8 << 20];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31 + (i >> 9));
    }
    byte[] bigResp = HttpTraffic.response(200, "OK", List.of(HttpTraffic.header("Content-Type", "application/octet-stream")), big);
    byte[] chunked = HttpTraffic.chunkedResponse(200, "OK", List.of(), big, 16 * 1024);
    byte[] gz = HttpTraffic.gzipResponse(200, "OK", List.of(), big, 0);
    byte[] req = HttpTraffic.request("GET", "/big", "h", List.of(), null);
    bodies("content-length", req, bigResp);
    bodies("chunked 16K", req, chunked);
    bodies("gzip", req, gz);
    mixed();
    ByteArrayOutputStream c = new ByteArrayOutputStream();
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      c.writeBytes(HttpTraffic.request("GET", "/api/items/" + i + "?page=2", "api.example.com",
          List.of(HttpTraffic.header("User-Agent", "bench/1"), HttpTraffic.header("Accept", "*/*")), null));
      s.writeBytes(HttpTraffic.response(200, "OK", List.of(HttpTraffic.header("Content-Type", "application/json")),
          HttpTraffic.utf8("{\"id\":" + i + "}")));
    }
    small(c.toByteArray(), s.toByteArray(), n);
  }

  /** One keep-alive connection: 60 exchanges cycling through 5 response kinds (about 12 MB of responses). */
  static void mixed() {
    byte[] text = new byte[1 << 20];
    String words = "the quick brown fox jumps over the lazy dog, pack my box with five dozen liquor jugs. ";
    for (int i = 0; i < text.length; i++) {
      text[i] = (byte) words.charAt((i * 7 + i / 97) % words.length());
    }
    byte[] bin = new byte[512 << 10];
    for (int i = 0; i < bin.length; i++) {
      bin[i] = (byte) (i * 31 + (i >> 9));
    }
    List<HttpTraffic.Header> json = List.of(HttpTraffic.header("Content-Type", "application/json"));
    List<HttpTraffic.Header> html = List.of(HttpTraffic.header("Content-Type", "text/html"));
    byte[][] kinds = {
        HttpTraffic.response(200, "OK", json, java.util.Arrays.copyOf(text, 200)),
        HttpTraffic.chunkedResponse(200, "OK", html, java.util.Arrays.copyOf(text, 16 << 10), 4096),
        HttpTraffic.gzipResponse(200, "OK", html, java.util.Arrays.copyOf(text, 256 << 10), 0),
        HttpTraffic.response(200, "OK", List.of(HttpTraffic.header("Content-Type", "image/png")), bin),
        HttpTraffic.gzipResponse(200, "OK", json, java.util.Arrays.copyOf(text, 2048), 1024)};
    long[] decodedPerKind = {200, 16 << 10, 256 << 10, 512 << 10, 2048};
    ByteArrayOutputStream c = new ByteArrayOutputStream();
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    int n = 60;
    long decoded = 0;
    for (int i = 0; i < n; i++) {
      c.writeBytes(HttpTraffic.request("GET", "/page/" + i, "www.example.com",
          List.of(HttpTraffic.header("User-Agent", "bench/1"), HttpTraffic.header("Accept-Encoding", "gzip")), null));
      s.writeBytes(kinds[i % kinds.length]);
      decoded += decodedPerKind[i % kinds.length];
    }
    byte[] cb = c.toByteArray();
    byte[] sb = s.toByteArray();
    long best = Long.MAX_VALUE;
    for (int r = 0; r < 40; r++) {
      long t = System.nanoTime();
      int[] count = new int[1];
      HttpConnection conn = new HttpConnection("f", HttpLimits.DEFAULTS, e -> count[0]++);
      conn.deliver(TcpDirection.CLIENT_TO_SERVER, cb, 0, cb.length, 0, 1);   // pipelined: all requests first
      for (int o = 0; o < sb.length; o += 1448) {
        conn.deliver(TcpDirection.SERVER_TO_CLIENT, sb, o, Math.min(1448, sb.length - o), o, 2);
      }
      conn.finish();
      if (count[0] != n) {
        throw new AssertionError(count[0]);
      }
      best = Math.min(best, System.nanoTime() - t);
    }
    System.out.printf("%-24s %8.0f MB/s wire (%d bytes), %8.0f MB/s decoded, %.0f exchanges/s%n",
        "mixed keep-alive", (cb.length + sb.length) / 1e6 / (best / 1e9), cb.length + sb.length,
        decoded / 1e6 / (best / 1e9), n / (best / 1e9));
  }

  static void bodies(String name, byte[] req, byte[] resp) {
    long best = Long.MAX_VALUE;
    for (int r = 0; r < 12; r++) {
      long t = System.nanoTime();
      int[] count = new int[1];
      HttpConnection conn = new HttpConnection("f", HttpLimits.DEFAULTS, e -> count[0]++);
      conn.deliver(TcpDirection.CLIENT_TO_SERVER, req, 0, req.length, 0, 1);
      for (int o = 0; o < resp.length; o += 1448) {
        conn.deliver(TcpDirection.SERVER_TO_CLIENT, resp, o, Math.min(1448, resp.length - o), o, 2);
      }
      conn.finish();
      best = Math.min(best, System.nanoTime() - t);
    }
    System.out.printf("%-24s %8.0f MB/s wire (%d bytes), %8.0f MB/s decoded%n", name, resp.length / 1e6 / (best / 1e9), resp.length, (8 << 20) / 1e6 / (best / 1e9));
  }

  static void small(byte[] c, byte[] s, int n) {
    long best = Long.MAX_VALUE;
    for (int r = 0; r < 30; r++) {
      long t = System.nanoTime();
      int[] count = new int[1];
      HttpConnection conn = new HttpConnection("f", HttpLimits.DEFAULTS, e -> count[0]++);
      for (int o = 0; o < c.length; o += 1448) {
        conn.deliver(TcpDirection.CLIENT_TO_SERVER, c, o, Math.min(1448, c.length - o), o, 1);
        int so = (int) Math.max(0, (long) (o - 1448) * s.length / c.length);
        int se = (int) Math.max(0, (long) o * s.length / c.length);
        if (se > so) {
          conn.deliver(TcpDirection.SERVER_TO_CLIENT, s, so, se - so, so, 2);
        }
      }
      conn.deliver(TcpDirection.SERVER_TO_CLIENT, s, (int) ((long) (c.length - c.length % 1448) * s.length / c.length), s.length - (int) ((long) (c.length - c.length % 1448) * s.length / c.length), 0, 2);
      conn.finish();
      if (count[0] != n) {
        throw new AssertionError(count[0]);
      }
      best = Math.min(best, System.nanoTime() - t);
    }
    System.out.printf("%-24s %8.0f exchanges/s (%.0f MB/s)%n", "small keep-alive", n / (best / 1e9),
        (c.length + s.length) / 1e6 / (best / 1e9));
  }
}
