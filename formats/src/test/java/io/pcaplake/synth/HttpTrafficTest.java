package io.pcaplake.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class HttpTrafficTest {
  static String s(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  @Test
  void requestWithBearerAndBody() {
    byte[] r = HttpTraffic.request("POST", "/api/transactions", "api.local:8000",
        List.of(HttpTraffic.bearer("abc.def.ghi")), HttpTraffic.utf8("{\"a\":1}"));
    assertEquals("POST /api/transactions HTTP/1.1\r\nHost: api.local:8000\r\nAuthorization: Bearer abc.def.ghi\r\n"
        + "Content-Length: 7\r\n\r\n{\"a\":1}", s(r));
    byte[] get = HttpTraffic.request("GET", "/", "h", List.of(HttpTraffic.basic("alice", "pw")), null);
    assertEquals("GET / HTTP/1.1\r\nHost: h\r\nAuthorization: Basic YWxpY2U6cHc=\r\n\r\n", s(get));
  }

  @Test
  void chunkedBodyDecodesBack() {
    byte[] body = HttpTraffic.utf8("x".repeat(2500));
    String wire = s(HttpTraffic.chunkedResponse(200, "OK", List.of(), body, 1024));
    assertTrue(wire.startsWith("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n"));
    assertTrue(wire.endsWith("\r\n1c4\r\n" + "x".repeat(452) + "\r\n0\r\n\r\n"));
    StringBuilder decoded = new StringBuilder();
    String rest = wire.substring(wire.indexOf("\r\n\r\n") + 4);
    while (true) {
      int eol = rest.indexOf("\r\n");
      int n = Integer.parseInt(rest.substring(0, eol), 16);
      if (n == 0) {
        break;
      }
      decoded.append(rest, eol + 2, eol + 2 + n);
      rest = rest.substring(eol + 2 + n + 2);
    }
    assertEquals("x".repeat(2500), decoded.toString());
  }

  @Test
  void gzipBodyInflatesAndIsDeterministic() throws Exception {
    byte[] body = HttpTraffic.utf8("{\"transactions\":[]}".repeat(50));
    byte[] resp = HttpTraffic.gzipResponse(200, "OK", List.of(), body, 0);
    assertArrayEquals(resp, HttpTraffic.gzipResponse(200, "OK", List.of(), body, 0));
    String wire = s(resp);
    assertTrue(wire.contains("Content-Encoding: gzip\r\n"));
    int start = wire.indexOf("\r\n\r\n") + 4;
    int len = Integer.parseInt(wire.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
    assertEquals(resp.length - start, len);
    byte[] inflated = new GZIPInputStream(new ByteArrayInputStream(resp, start, len)).readAllBytes();
    assertArrayEquals(body, inflated);
  }

  @Test
  void headerInjectionIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> HttpTraffic.header("X", "a\r\nEvil: 1"));
  }
}
