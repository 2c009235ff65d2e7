package io.pcaplake.http;

import static io.pcaplake.synth.HttpTraffic.concat;
import static io.pcaplake.synth.HttpTraffic.header;
import static io.pcaplake.synth.HttpTraffic.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.synth.HttpTraffic;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class HttpParserTest {
  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** Runs one client/server script at every fragment size 1..max(len) and checks the same outcome each time. */
  static void sweep(byte[] client, byte[] server, Consumer<Harness> check) {
    int max = Math.max(client.length, server.length);
    for (int frag = 1; frag <= max; frag++) {
      Harness h = new Harness();
      h.client(client, frag).server(server, frag).close();
      try {
        check.accept(h);
      } catch (AssertionError e) {
        throw new AssertionError("fragment size " + frag + ": " + e.getMessage(), e);
      }
    }
  }

  static final byte[] BODY = utf8("{\"ok\":true,\"items\":[1,2,3]}");

  @Test
  void contentLengthEveryFragmentSize() throws Exception {
    byte[] req = HttpTraffic.request("POST", "/api/transactions?id=7&x=%41", "example.com",
        List.of(HttpTraffic.bearer("tok123"), header("User-Agent", "curl/8"), header("X-Request-Id", "r-1")), BODY);
    byte[] resp = HttpTraffic.response(401, "Unauthorized", List.of(header("Content-Type", "application/json")), BODY);
    String want = sha(BODY);
    sweep(req, resp, h -> {
      HttpExchange e = h.only();
      assertEquals(0, e.exchangeIndex());
      assertEquals("POST", e.method());
      assertEquals("/api/transactions?id=7&x=%41", e.uri());
      assertEquals("/api/transactions", e.request().path());
      assertEquals("id=7&x=%41", e.request().query());
      assertEquals("example.com", e.host());
      assertEquals("curl/8", e.userAgent());
      assertEquals("r-1", e.xRequestId());
      assertEquals("Bearer tok123", e.request().authorization());
      assertEquals(BODY.length, e.request().body().decodedBytes());
      assertEquals(want, e.request().body().sha256());
      assertEquals(401, e.statusCode());
      assertEquals("Unauthorized", e.response().reason());
      assertEquals(BODY.length, e.response().body().wireBytes());
      assertEquals(want, e.response().body().sha256());
      assertEquals("application/json", e.response().body().contentType());
      assertTrue(e.requestComplete());
      assertTrue(e.responseComplete());
      assertEquals("HTTP/1.1", e.httpVersion());
      assertTrue(e.latencyNs() > 0);
      assertEquals(List.of(), h.reasons());
    });
  }

  @Test
  void chunkedWithExtensionsAndTrailersEveryFragmentSize() throws Exception {
    byte[] req = ascii("GET /c HTTP/1.1\r\nHost: h\r\n\r\n");
    byte[] resp = ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;name=value;x\r\nhello\r\n1A ; ext\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t1\r\nX-Other: t2\r\n\r\n");
    String want = sha(ascii("helloabcdefghijklmnopqrstuvwxyz"));
    sweep(req, resp, h -> {
      HttpExchange e = h.only();
      assertEquals(31, e.response().body().wireBytes());
      assertEquals(want, e.response().body().sha256());
      assertEquals("chunked", e.response().body().transferEncoding());
      assertEquals(List.of(new HttpHeader("X-Trailer", "t1"), new HttpHeader("X-Other", "t2")),
          e.response().trailers());
      assertTrue(e.responseComplete());
      assertEquals(List.of(), h.reasons());
    });
  }

  @Test
  void closeDelimitedEveryFragmentSize() throws Exception {
    byte[] req = ascii("GET / HTTP/1.0\r\n\r\n");
    byte[] resp = ascii("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nbody until close");
    String want = sha(ascii("body until close"));
    sweep(req, resp, h -> {
      HttpExchange e = h.only();
      assertEquals(16, e.response().body().wireBytes());
      assertEquals(want, e.response().body().sha256());
      assertTrue(e.responseComplete());
      assertEquals("HTTP/1.0", e.httpVersion());
    });
  }

  @Test
  void headAndNoBodyStatusesEveryFragmentSize() {
    byte[] req = ascii("HEAD /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"
        + "GET /c HTTP/1.1\r\nHost: h\r\n\r\nGET /d HTTP/1.1\r\nHost: h\r\n\r\n");
    byte[] resp = ascii("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
        + "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n"
        + "HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n"
        + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    sweep(req, resp, h -> {
      assertEquals(4, h.exchanges.size());
      int[] codes = {200, 204, 304, 200};
      String[] uris = {"/a", "/b", "/c", "/d"};
      for (int i = 0; i < 4; i++) {
        HttpExchange e = h.exchanges.get(i);
        assertEquals(i, e.exchangeIndex());
        assertEquals(uris[i], e.uri());
        assertEquals(codes[i], e.statusCode());
        assertTrue(e.responseComplete());
      }
      assertEquals(0, h.exchanges.get(0).response().body().wireBytes());
      assertEquals(2, h.exchanges.get(3).response().body().wireBytes());
    });
  }

  @Test
  void continue100IsInfoCodeEveryFragmentSize() throws Exception {
    byte[] req = ascii("PUT /up HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\ndata");
    byte[] resp = ascii("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
    String want = sha(ascii("data"));
    sweep(req, resp, h -> {
      HttpExchange e = h.only();
      assertEquals(201, e.statusCode());
      assertEquals(100, e.response().infoCode());
      assertEquals(want, e.request().body().sha256());
      assertTrue(e.responseComplete());
    });
  }

  @Test
  void pipelinedRequestsInOneSegment() {
    byte[] req = concat(HttpTraffic.request("GET", "/1", "h", List.of(), null),
        HttpTraffic.request("POST", "/2", "h", List.of(), utf8("x=1")),
        HttpTraffic.request("GET", "/3", "h", List.of(), null));
    byte[] resp = concat(HttpTraffic.response(200, "OK", List.of(), utf8("one")),
        HttpTraffic.chunkedResponse(404, "Not Found", List.of(), utf8("missing page"), 5),
        HttpTraffic.gzipResponse(200, "OK", List.of(), utf8("three three three"), 0));
    for (int frag : new int[] {req.length, 1, 7}) {
      Harness h = new Harness();
      h.client(req, req.length).server(resp, frag).close();
      assertEquals(3, h.exchanges.size());
      assertEquals(List.of("/1", "/2", "/3"), h.exchanges.stream().map(HttpExchange::uri).toList());
      assertEquals(List.of(200, 404, 200), h.exchanges.stream().map(HttpExchange::statusCode).toList());
      assertEquals(17, h.exchanges.get(2).response().body().decodedBytes());
      assertEquals(List.of(), h.reasons());
    }
  }

  @Test
  void requestWithoutResponseAndResponseWithoutRequest() {
    Harness h = new Harness();
    h.client(ascii("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n"), 100)
        .server(ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), 100).close();
    assertEquals(2, h.exchanges.size());
    assertTrue(h.exchanges.get(0).responseComplete());
    assertNull(h.exchanges.get(1).response());
    assertFalse(h.exchanges.get(1).responseComplete());
    assertTrue(h.exchanges.get(1).requestComplete());

    Harness o = new Harness();
    o.client(ascii("GET /a HTTP/1.1\r\n\r\n"), 100)
        .server(ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n"), 100)
        .close();
    assertEquals(2, o.exchanges.size());
    assertNull(o.exchanges.get(1).request());
    assertEquals(500, o.exchanges.get(1).statusCode());
    assertTrue(o.reasons().contains(HttpReasons.RESPONSE_WITHOUT_REQUEST));
  }

  @Test
  void notHttpIsIgnored() {
    Harness h = new Harness();
    h.client(ascii("SSH-2.0-OpenSSH_9\r\n"), 4).server(ascii("SSH-2.0-x\r\n"), 3).close();
    assertFalse(h.conn.isHttpConnection());
    assertEquals(List.of(), h.exchanges);
    assertEquals(List.of(), h.anomalies);
    Harness b = new Harness();
    b.client(new byte[] {0x16, 3, 1, 0, 5}, 5).close();
    assertFalse(b.conn.isHttpConnection());
    Harness c = new Harness();
    c.client(ascii("HELLO there friend\r\n"), 5).close();
    assertFalse(c.conn.isHttpConnection());
  }

  @Test
  void toleranceOddities() {
    byte[] req = ascii("GET /x HTTP/1.1\nHost: h\nX-Fold: a\r\n  b\r\nWeird Name: v\r\nX-Dup: 1\r\nX-Dup: 2\r\nnocolon\r\n\r\n");
    byte[] resp = ascii("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n");
    sweep(req, resp, h -> {
      HttpExchange e = h.only();
      assertEquals(List.of(new HttpHeader("Host", "h"), new HttpHeader("X-Fold", "a b"),
          new HttpHeader("Weird Name", "v"), new HttpHeader("X-Dup", "1"), new HttpHeader("X-Dup", "2")),
          e.request().headers());
      assertEquals("", e.response().reason());
      assertEquals(List.of(HttpReasons.BARE_LF, HttpReasons.OBS_FOLD, HttpReasons.ODD_HEADER_NAME,
          HttpReasons.BAD_HEADER_LINE, HttpReasons.MISSING_REASON), h.reasons());
      assertEquals(List.of(HttpReasons.BARE_LF, HttpReasons.OBS_FOLD, HttpReasons.ODD_HEADER_NAME,
          HttpReasons.BAD_HEADER_LINE, HttpReasons.MISSING_REASON), e.reasons());
    });
  }

  @Test
  void http09() {
    Harness h = new Harness();
    h.client(ascii("GET /old\r\n"), 3).server(ascii("<html>old</html>"), 4).close();
    HttpExchange e = h.only();
    assertEquals("HTTP/0.9", e.request().version());
    assertEquals("/old", e.uri());
    assertEquals(0, e.response().statusCode());
    assertEquals(16, e.response().body().wireBytes());
    assertTrue(h.reasons().contains(HttpReasons.HTTP09_REQUEST));
  }

  @Test
  void nonUtf8UriBytesArePercentEscaped() {
    byte[] req = concat(ascii("GET /caf"), new byte[] {(byte) 0xc3, (byte) 0xa9}, ascii("/x"),
        new byte[] {(byte) 0xff, (byte) 0xfe}, ascii("?q=\u0001 HTTP/1.1\r\n\r\n"));
    Harness h = new Harness();
    h.client(req, 5).close();
    HttpExchange e = h.only();
    assertEquals("/café/x%FF%FE?q=%01", e.uri());
    assertEquals("/café/x%FF%FE", e.request().path());
    assertEquals("q=%01", e.request().query());
    assertTrue(h.reasons().contains(HttpReasons.NON_UTF8_URI));
  }

  @Test
  void upgradeStopsParsing() {
    byte[] req = ascii("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
        + "\u0081\u0085binaryframe");
    byte[] resp = ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0002hi");
    for (int frag = 1; frag <= req.length; frag++) {
      Harness h = new Harness();
      h.client(req, frag).server(resp, frag).close();
      HttpExchange e = h.only();
      assertEquals(101, e.statusCode());
      assertEquals(HttpReasons.UPGRADE, e.tunnel());
      assertEquals("websocket", e.upgradeTo());
      assertEquals(List.of(HttpReasons.UPGRADE), h.reasons(), "frag " + frag);
    }
    Harness c = new Harness();
    c.client(ascii("CONNECT db:5432 HTTP/1.1\r\nHost: db:5432\r\n\r\n\u0000\u0001tls"), 9)
        .server(ascii("HTTP/1.1 200 Connection established\r\n\r\n\u0016\u0003"), 9).close();
    assertEquals(HttpReasons.CONNECT_TUNNEL, c.only().tunnel());
    assertEquals(List.of(HttpReasons.CONNECT_TUNNEL), c.reasons());
  }

  @Test
  void upgradeDeclinedReplaysHeldRequests() {
    byte[] req = ascii("GET /ws HTTP/1.1\r\nUpgrade: h2c\r\n\r\nGET /next HTTP/1.1\r\n\r\n");
    byte[] resp = ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz");
    Harness h = new Harness();
    h.client(req, 11).server(resp, 11).close();
    assertEquals(List.of("/ws", "/next"), h.exchanges.stream().map(HttpExchange::uri).toList());
    assertNull(h.exchanges.get(0).tunnel());
  }

  @Test
  void gapInBodyIsAccountedAndParsingContinues() {
    Harness h = new Harness();
    h.client(ascii("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n"), 50);
    h.server(ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"), 50).serverGap(4)
        .server(ascii("def"), 50)
        .server(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\nab"), 50).serverGap(3)
        .server(ascii("fgh\r\n0\r\n\r\n"), 50).close();
    assertEquals(2, h.exchanges.size());
    HttpExchange a = h.exchanges.get(0);
    assertEquals(4, a.gapBytes());
    assertEquals(6, a.response().body().wireBytes());
    assertTrue(a.responseComplete());
    HttpExchange b = h.exchanges.get(1);
    assertEquals(3, b.gapBytes());
    assertEquals(5, b.response().body().wireBytes());
    assertTrue(b.responseComplete());
    assertEquals(List.of(HttpReasons.GAP_IN_BODY, HttpReasons.GAP_IN_BODY), h.reasons());
  }

  @Test
  void gapInHeadersEndsMessageAndResyncs() {
    Harness h = new Harness();
    h.client(ascii("GET /a HTTP/1.1\r\nHost: h\r\nX-Lo"), 50).clientGap(30)
        .client(ascii("ng-tail: zz\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"), 50);
    h.server(ascii("HTTP/1.1 200 OK\r\nContent-Len"), 50).serverGap(50)
        .server(ascii("rest\r\n\r\nHTTP/1.1 404 NF\r\nContent-Length: 0\r\n\r\n"), 50).close();
    assertEquals(2, h.exchanges.size());
    HttpExchange a = h.exchanges.get(0);
    assertEquals("/a", a.uri());
    assertFalse(a.requestComplete());
    assertFalse(a.responseComplete());
    assertEquals(200, a.statusCode());
    HttpExchange b = h.exchanges.get(1);
    assertEquals("/b", b.uri());
    assertEquals(404, b.statusCode());
    assertTrue(b.requestComplete());
    assertTrue(b.responseComplete());
    assertTrue(h.reasons().contains(HttpReasons.GAP_IN_HEADERS));
    assertTrue(h.reasons().contains(HttpReasons.RESYNC_SKIPPED));
  }

  @Test
  void truncatedAtEnd() {
    Harness h = new Harness();
    h.client(ascii("GET /a HTTP/1.1\r\n\r\n"), 50).server(ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"), 50)
        .close();
    HttpExchange e = h.only();
    assertFalse(e.responseComplete());
    assertEquals(3, e.response().body().wireBytes());
    assertTrue(h.reasons().contains(HttpReasons.TRUNCATED_MESSAGE));
  }

  /**
   * Fuzzing finding (HttpParserFuzzTest, seed interim-100-then-gap-no-final): a 1xx whose final response never came
   * left its exchange without a response; when the 1xx itself had no request, the exchange had neither side.
   */
  @Test
  void interimResponseWithoutFinalStillGivesTheExchangeAResponse() {
    byte[] req = ascii("GET /a HTTP/1.1\r\nHost: h\r\n\r\n");
    for (int frag = 1; frag <= 40; frag++) {
      // end of stream right after the 100
      Harness h = new Harness().client(req, frag).server(ascii("HTTP/1.1 100 Continue\r\n\r\n"), frag).close();
      HttpExchange e = h.only();
      assertEquals("/a", e.uri());
      assertEquals(100, e.response().infoCode());
      assertNull(e.statusCode());
      assertFalse(e.responseComplete());
      // a gap inside the final status line, nothing after it
      h = new Harness().client(req, frag).server(ascii("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 2"), frag)
          .serverGap(10).close();
      e = h.only();
      assertEquals(100, e.response().infoCode());
      assertFalse(e.responseComplete());
      // a gap, then the final response: it still pairs with the request, info_code kept
      h = new Harness().client(req, frag).server(ascii("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 2"), frag)
          .serverGap(10).server(ascii("\r\nHTTP/1.1 204 No Content\r\n\r\n"), frag).close();
      e = h.only();
      assertEquals(204, e.statusCode());
      assertEquals(100, e.response().infoCode());
      // no request at all: the row has the response side
      h = new Harness().server(ascii("HTTP/1.1 100 Continue\r\n\r\n"), frag).close();
      assertTrue(h.exchanges.isEmpty(), "server bytes alone never make a connection HTTP");
    }
  }

  /**
   * Fuzzing finding (HttpParserFuzzTest, seed request-in-progress-at-101): a request still being read when a 101
   * (or a 2xx to CONNECT) switched the connection kept its exchange with neither side.
   */
  @Test
  void requestInProgressWhenTheConnectionSwitchesEndsIncomplete() {
    byte[] req = ascii("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHo");
    byte[] resp = ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n\u0001\u0002");
    for (int frag = 1; frag <= req.length; frag++) {
      Harness h = new Harness().client(req, frag).server(resp, frag).close();
      assertEquals(2, h.exchanges.size(), "frag " + frag);
      assertEquals(HttpReasons.UPGRADE, h.exchanges.get(0).tunnel());
      HttpExchange b = h.exchanges.get(1);
      assertEquals("/b", b.uri(), "frag " + frag);
      assertFalse(b.requestComplete());
      assertNull(b.response());
    }
  }
}
