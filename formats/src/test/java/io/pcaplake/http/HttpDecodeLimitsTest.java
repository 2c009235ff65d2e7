package io.pcaplake.http;

import static io.pcaplake.http.HttpParserTest.ascii;
import static io.pcaplake.http.HttpParserTest.sha;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import io.pcaplake.synth.HttpTraffic;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

class HttpDecodeLimitsTest {
  static final byte[] PLAIN = ascii("hello brotli body, hello brotli body, hello brotli body\n");
  /** {@code brotli -c} (Debian brotli 1.0.9) of PLAIN. */
  static final byte[] BROTLI = HexFormat.of().parseHex(
      "a1b801c02fbac3bfe79abff74a518c919e4a91aa42846a1729c4ea3808e53b9a01");

  static byte[] deflate(byte[] b, boolean raw) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(6, raw))) {
      z.write(b);
    }
    return out.toByteArray();
  }

  static HttpExchange one(String encoding, byte[] wire, HttpLimits limits, int frag) {
    Harness h = new Harness(limits);
    h.client(ascii("GET / HTTP/1.1\r\n\r\n"), 100)
        .server(HttpTraffic.response(200, "OK", List.of(HttpTraffic.header("Content-Encoding", encoding)), wire), frag)
        .close();
    return h.only();
  }

  void check(String encoding, byte[] wire, byte[] plain) throws Exception {
    String want = sha(plain);
    for (int frag : new int[] {1, 2, 3, 7, 64, 100_000}) {
      HttpBody b = one(encoding, wire, HttpLimits.DEFAULTS, frag).response().body();
      assertEquals(plain.length, b.decodedBytes(), encoding + " frag " + frag);
      assertEquals(wire.length, b.wireBytes());
      assertEquals(want, b.sha256());
      assertFalse(b.decodeFailed());
      assertEquals(encoding, b.contentEncoding());
    }
  }

  @Test
  void eachEncoding() throws Exception {
    byte[] big = new byte[300_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) ("abcdefgh".charAt(i % 8) + (i / 1000) % 3);
    }
    check("gzip", HttpTraffic.gzip(big), big);
    check("x-gzip", HttpTraffic.gzip(PLAIN), PLAIN);
    check("deflate", deflate(big, false), big);
    check("deflate", deflate(PLAIN, true), PLAIN);
    check("zstd", Zstd.compress(big), big);
    check("br", BROTLI, PLAIN);
    // stacked: gzip applied first, then zstd
    check("gzip, zstd", Zstd.compress(HttpTraffic.gzip(big)), big);
    check("br, gzip", HttpTraffic.gzip(BROTLI), PLAIN);
  }

  @Test
  void unsupportedAndBrokenEncodings() {
    HttpExchange e = one("compress", ascii("xyz"), HttpLimits.DEFAULTS, 2);
    assertTrue(e.response().body().decodeFailed());
    assertEquals(3, e.response().body().decodedBytes());
    assertTrue(e.reasons().contains(HttpReasons.UNSUPPORTED_ENCODING));
    HttpExchange f = one("gzip", ascii("\u001f\u008b\u0008\u0000\u0000\u0000\u0000\u0000\u0000\u0003garbage!"),
        HttpLimits.DEFAULTS, 3);
    assertTrue(f.response().body().decodeFailed());
    assertTrue(f.reasons().contains(HttpReasons.DECODE_FAILED));
    // a gzip header and nothing after it: the stream ends early, with or without the one-shot path
    for (FastInflate.Backend fast : java.util.Arrays.asList(null, FastInflate.backend())) {
      List<String> problems = new java.util.ArrayList<>();
      BodyDecoder d = new BodyDecoder(HttpLimits.DEFAULTS, "gzip", (r, detail) -> problems.add(r + ": " + detail),
          true, fast);
      byte[] header = Arrays.copyOf(HttpTraffic.gzip(PLAIN), 10);
      d.wire(header, 0, header.length);
      HttpBody b = d.finish(null, "gzip", null);
      assertTrue(b.decodeFailed(), "fast " + fast);
      assertEquals(List.of(HttpReasons.DECODE_FAILED + ": deflate stream ends early"), problems, "fast " + fast);
    }
    // br decodes when the body ends: its failure must still reach the exchange's reasons, not only the anomalies
    HttpExchange g = one("br", ascii("this is not brotli data at all"), HttpLimits.DEFAULTS, 4);
    assertTrue(g.response().body().decodeFailed());
    assertTrue(g.reasons().contains(HttpReasons.DECODE_FAILED), g.reasons().toString());
  }

  @Test
  void decompressionBombTruncatesAndFlags() throws Exception {
    byte[] zeros = new byte[20 << 20];
    byte[] bomb = HttpTraffic.gzip(zeros);   // ~20 KB wire, ratio ~1000
    HttpBody b = one("gzip", bomb, HttpLimits.DEFAULTS, 4096).response().body();
    assertTrue(b.truncated());
    assertTrue(b.decodedBytes() <= 200L * bomb.length);
    HttpLimits capped = HttpLimits.DEFAULTS.withDecodeCaps(1000, 1_000_000, 0);
    HttpExchange e = one("zstd", Zstd.compress(zeros), capped, 1 << 16);
    assertEquals(1000, e.response().body().decodedBytes());
    assertTrue(e.response().body().truncated());
    assertTrue(e.reasons().contains(HttpReasons.DECOMPRESSION_BOMB));
    HttpLimits tinyBr = HttpLimits.DEFAULTS.withBrotliBufferBytes(10);
    HttpExchange br = one("br", BROTLI, tinyBr, 5);
    assertTrue(br.response().body().decodeFailed());
    assertTrue(br.reasons().contains(HttpReasons.DECODE_BUFFER_EXCEEDED));
  }

  @Test
  void bodyPrefixKept() {
    HttpExchange e = one("identity", ascii("0123456789"), HttpLimits.DEFAULTS.withBodyPrefixBytes(4), 3);
    assertEquals("0123", new String(e.response().body().prefix()));
  }

  static Harness run(HttpLimits limits, String request, String response) {
    Harness h = new Harness(limits);
    h.client(ascii(request), 7).server(ascii(response), 7).close();
    return h;
  }

  static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

  @Test
  void chunkSize2pow64IsBadChunkNotOverflow() {
    for (String size : new String[] {"10000000000000000", "FFFFFFFFFFFFFFFF", "8000000000000000", "zz", ""}) {
      Harness h = run(HttpLimits.DEFAULTS, "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n",
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + size + "\r\nabc\r\n0\r\n\r\n" + OK);
      assertEquals(2, h.exchanges.size(), size);
      assertFalse(h.exchanges.get(0).responseComplete());
      assertTrue(h.reasons().contains(HttpReasons.BAD_CHUNK_SIZE), size);
      assertTrue(h.exchanges.get(1).responseComplete(), size);   // resynced at the next status line
    }
    Harness ok = run(HttpLimits.DEFAULTS, "GET /a HTTP/1.1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n00000003\r\nabc\r\n0\r\n\r\n");
    assertEquals(3, ok.only().response().body().wireBytes());
  }

  @Test
  void everyLimit() {
    HttpLimits small = HttpLimits.DEFAULTS.withMaxStartLine(32).withMaxHeaderBytes(64).withMaxHeaders(2)
        .withMaxChunkSizeLine(8);
    // start line
    Harness a = run(small, "GET /a HTTP/1.1\r\n\r\nGET /" + "x".repeat(100) + " HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n",
        OK + OK + OK);
    assertTrue(a.reasons().contains(HttpReasons.START_LINE_TOO_LONG));
    assertEquals("/c", a.exchanges.get(1).uri());
    // header bytes
    Harness b = run(small, "GET /a HTTP/1.1\r\nX-Big: " + "y".repeat(100) + "\r\n\r\nGET /b HTTP/1.1\r\n\r\n", OK + OK);
    assertTrue(b.reasons().contains(HttpReasons.HEADERS_TOO_LARGE));
    assertFalse(b.exchanges.get(0).requestComplete());
    assertEquals("/b", b.exchanges.get(1).uri());
    // header count: kept 2, message still framed by a later Content-Length
    Harness c = run(small, "POST /a HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nContent-Length: 2\r\n\r\nhi", OK);
    assertEquals(2, c.only().request().headers().size());
    assertEquals(2, c.only().request().body().wireBytes());
    assertTrue(c.reasons().contains(HttpReasons.TOO_MANY_HEADERS));
    // chunk-size line
    Harness d = run(small, "GET /a HTTP/1.1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;" + "e".repeat(20) + "\r\nabc\r\n0\r\n\r\n");
    assertTrue(d.reasons().contains(HttpReasons.CHUNK_SIZE_LINE_TOO_LONG));
    // pending requests
    Harness p = new Harness(HttpLimits.DEFAULTS.withMaxPendingRequests(2));
    p.client(ascii("GET /1 HTTP/1.1\r\n\r\n".repeat(5)), 50).close();
    assertEquals(5, p.exchanges.size());
    assertTrue(p.reasons().contains(HttpReasons.EXCESSIVE_PIPELINING));
  }

  @Test
  void hundredThousandHeaders() {
    StringBuilder sb = new StringBuilder("GET /many HTTP/1.1\r\n");
    for (int i = 0; i < 100_000; i++) {
      sb.append("X-H").append(i).append(": v\r\n");
    }
    sb.append("\r\nGET /after HTTP/1.1\r\n\r\n");
    Harness h = run(HttpLimits.DEFAULTS, sb.toString(), OK + OK);
    assertTrue(h.reasons().contains(HttpReasons.HEADERS_TOO_LARGE));
    assertEquals(List.of("/many", "/after"), h.exchanges.stream().map(HttpExchange::uri).toList());
    // with a byte budget large enough, the count limit applies and the message completes
    Harness k = run(HttpLimits.DEFAULTS.withMaxHeaderBytes(4 << 20), sb.toString(), OK + OK);
    assertEquals(256, k.exchanges.get(0).request().headers().size());
    assertTrue(k.exchanges.get(0).requestComplete());
    assertTrue(k.reasons().contains(HttpReasons.TOO_MANY_HEADERS));
  }

  @Test
  void framingConflicts() {
    Harness h = run(HttpLimits.DEFAULTS,
        "POST /a HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            + "POST /b HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab", OK + OK);
    assertEquals(List.of("/a", "/b"), h.exchanges.stream().map(HttpExchange::uri).toList());
    assertTrue(h.reasons().contains(HttpReasons.TE_AND_CL));
    assertTrue(h.reasons().contains(HttpReasons.CONFLICTING_CONTENT_LENGTH));
    assertTrue(Arrays.asList(h.exchanges.get(0).reasons().toArray()).contains(HttpReasons.TE_AND_CL));
  }
}
