package io.pcaplake.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.tcp.TcpDirection;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile HTTP input of the malformed-capture suite (issue 6) not covered by {@link HttpDecodeLimitsTest}: a 1 GiB
 * header line fed incrementally (never allocated), and non-UTF-8 bytes in header values stored losslessly.
 */
class HttpHostileInputTest {
  private static final byte[] OK = HttpParserTest.ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

  /** Percent-decodes a header value the way docs/http.md says it is escaped. */
  static byte[] unescape(String v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < utf8.length; i++) {
      if (utf8[i] == '%') {
        out.write(Integer.parseInt(new String(utf8, i + 1, 2, StandardCharsets.US_ASCII), 16));
        i += 2;
      } else {
        out.write(utf8[i]);
      }
    }
    return out.toByteArray();
  }

  @Test
  void nonUtf8HeaderValuesArePercentEscapedAndDecodeToTheBytesSent() {
    byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9, ' ', '1', '0', '0', '%'};            // café 100% in ISO-8859-1
    byte[] mixed = {(byte) 0xc3, (byte) 0xa9, '/', (byte) 0xff, '%', '4', '1'};      // é (UTF-8), 0xFF, "%41"
    byte[] utf8 = "naïve 100%".getBytes(StandardCharsets.UTF_8);
    byte[] req = io.pcaplake.synth.HttpTraffic.concat(HttpParserTest.ascii("GET / HTTP/1.1\r\nX-Latin: "), latin1,
        HttpParserTest.ascii("\r\nX-Mixed: "), mixed, HttpParserTest.ascii("\r\nX-Utf8: "), utf8,
        HttpParserTest.ascii("\r\n\r\n"));
    for (int frag : new int[] {1, 3, 7, req.length}) {
      Harness h = new Harness();
      h.client(req, frag).server(OK, 5).close();
      HttpRequest r = h.only().request();
      List<HttpHeader> hs = r.headers();
      assertEquals("caf%E9 100%25", hs.get(0).value());
      assertArrayEquals(latin1, unescape(hs.get(0).value()));
      assertEquals("é/%FF%2541", hs.get(1).value());
      assertArrayEquals(mixed, unescape(hs.get(1).value()));
      // valid UTF-8 is stored as text, untouched (a '%' in it is not escaped)
      assertEquals("naïve 100%", hs.get(2).value());
      assertEquals(2, h.reasons().stream().filter(HttpReasons.NON_UTF8_HEADER::equals).count(), "frag " + frag);
    }
  }

  @Test
  void nonUtf8ReasonPhraseIsEscapedToo() {
    byte[] resp = io.pcaplake.synth.HttpTraffic.concat(HttpParserTest.ascii("HTTP/1.1 200 "), new byte[] {(byte) 0x80, 'k'},
        HttpParserTest.ascii("\r\nContent-Length: 0\r\n\r\n"));
    Harness h = new Harness();
    h.client(HttpParserTest.ascii("GET / HTTP/1.1\r\n\r\n"), 4).server(resp, 3).close();
    assertEquals("%80k", h.only().response().reason());
    assertTrue(h.reasons().contains(HttpReasons.NON_UTF8_HEADER));
  }

  @Test
  void oneGibibyteHeaderLineIsStreamedNotAllocated() {
    Harness h = new Harness();
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(tid);
    long off = 0;
    byte[] head = HttpParserTest.ascii("GET /big HTTP/1.1\r\nHost: h\r\nX-Big: ");
    h.conn.deliver(TcpDirection.CLIENT_TO_SERVER, head, 0, head.length, off, 1);
    off += head.length;
    byte[] chunk = new byte[1 << 16];
    Arrays.fill(chunk, (byte) 'a');
    long total = 1L << 30;
    for (long sent = 0; sent < total; sent += chunk.length) {
      h.conn.deliver(TcpDirection.CLIENT_TO_SERVER, chunk, 0, chunk.length, off, 2);
      off += chunk.length;
    }
    byte[] tail = HttpParserTest.ascii("\r\n\r\nGET /after HTTP/1.1\r\nHost: h\r\n\r\n");
    h.conn.deliver(TcpDirection.CLIENT_TO_SERVER, tail, 0, tail.length, off, 3);
    h.server(io.pcaplake.synth.HttpTraffic.concat(OK, OK), 64).close();
    long allocated = mx.getThreadAllocatedBytes(tid) - before;
    assertTrue(allocated < 64L << 20, "allocated " + allocated + " bytes for a 1 GiB header line");
    assertTrue(h.reasons().contains(HttpReasons.HEADERS_TOO_LARGE), h.reasons().toString());
    assertEquals(List.of("/big", "/after"), h.exchanges.stream().map(HttpExchange::uri).toList());
    assertFalse(h.exchanges.get(0).requestComplete());
    assertTrue(h.exchanges.get(1).requestComplete());
  }
}
