package io.pcaplake.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.http.SecretsOptions;
import io.pcaplake.synth.CaptureFiles;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.HttpTraffic;
import io.pcaplake.synth.Impairment;
import io.pcaplake.synth.SampleCapture;
import io.pcaplake.synth.Side;
import io.pcaplake.synth.TcpConversation;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console outputs, checked against what the generated traffic holds (no golden files). */
class ConsoleOutputTest {
  @TempDir
  static Path dir;
  static Path sample;
  static SampleCapture.Truth truth;

  @BeforeAll
  static void write() throws Exception {
    sample = dir.resolve("sample.pcap");
    truth = SampleCapture.write(sample, Format.PCAP);
  }

  static String streams(Path file, LocalOptions o) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LocalEngine.run(List.of(CaptureInput.of(file)), o.withStreams(new StreamPrinter(out)), new TableSink() { });
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  static String http(Path file, LocalOptions o, boolean json) throws Exception {
    StringWriter w = new StringWriter();
    LocalEngine.run(List.of(CaptureInput.of(file)), o, new TableSink() { }, new HttpPrinter(w, json));
    return w.toString();
  }

  @Test
  void tcpflowLabelsPadAddressesAndPorts() throws Exception {
    assertEquals("100.105.004.216.50720-100.100.102.017.08000: ", StreamPrinter.label(
        InetAddress.getByName("100.105.4.216").getAddress(), 50720,
        InetAddress.getByName("100.100.102.17").getAddress(), 8000));
  }

  /**
   * A request sent in 3 segments, one retransmitted and one delivered out of order, then a response whose second
   * segment is lost: the request prints once and whole, in order, after the client's label; the response's hole
   * prints as a marker with its size, not as NULs.
   */
  @Test
  void streamsPrintReassembledWithVisibleGaps() throws Exception {
    byte[] request = HttpTraffic.request("POST", "/upload", "api", List.of(), HttpTraffic.utf8("a".repeat(2000)));
    byte[] response = HttpTraffic.response(200, "OK", List.of(), HttpTraffic.utf8("b".repeat(3000)));
    TcpConversation c = TcpConversation.between(InetAddress.getByName("10.9.0.1"), 41000,
        InetAddress.getByName("10.9.0.2"), 8000).start(1_710_230_400_000_000_000L).mss(1000).open().handshake();
    c.sends(Side.CLIENT, request, Impairment.retransmit(0).and(Impairment.order(0, 2, 1)));
    c.sends(Side.SERVER, response, Impairment.drop(1));
    c.fin();
    Path f = dir.resolve("gap.pcap");
    CaptureFiles.write(f, Format.PCAP, c.packets());

    String out = streams(f, LocalOptions.defaults().withThreads(1));
    String client = "010.009.000.001.41000-010.009.000.002.08000: ";
    String server = "010.009.000.002.08000-010.009.000.001.41000: ";
    assertTrue(out.startsWith(client + new String(request, StandardCharsets.ISO_8859_1)), out);
    assertEquals(1, count(out, "POST /upload"), "the retransmitted segment printed once");
    String resp = new String(response, StandardCharsets.ISO_8859_1);
    assertTrue(out.contains(server + resp.substring(0, 1000) + "\n[... 1000 bytes missing ...]\n"
        + resp.substring(2000)), out);
    assertFalse(out.contains("\0"), "no NULs");
  }

  /**
   * {@code --http} on the README's sample: one block per request; the revoked token's 401s each show the request
   * (GET /api/transactions, its fingerprinted Authorization) with its response in the same block.
   */
  @Test
  void httpBlocksShowEach401WithItsRequest() throws Exception {
    String out = http(sample, LocalOptions.defaults(), false);
    List<String> blocks = blocks(out);
    assertEquals(truth.requests(), blocks.size());
    List<String> unauthorized = blocks.stream().filter(b -> b.contains("\nHTTP/1.1 401 Unauthorized\n")).toList();
    assertEquals(truth.unauthorized(), unauthorized.size());
    for (String b : unauthorized) {
      assertTrue(b.startsWith("== " + SampleCapture.OFFENDING_CLIENT + ":"), b);
      assertTrue(b.contains("\nGET /api/transactions?limit=50 HTTP/1.1\n"), b);
      assertTrue(b.contains("\nAuthorization: fp:"), b);
      assertTrue(b.contains("WWW-Authenticate: Bearer error=\"invalid_token\""), b);
      assertTrue(b.contains("response body 25 bytes (application/json): {\"error\":\"invalid_token\"}"), b);
      assertTrue(b.indexOf("GET /api/transactions") < b.indexOf("HTTP/1.1 401"), "request, then response");
      Matcher m = Pattern.compile("latency (\\d+\\.\\d{3}) ms").matcher(b);
      assertTrue(m.find(), b);
      assertTrue(Double.parseDouble(m.group(1)) > 0, b);
    }
    // grep -A 20 "GET /api/transactions" reaches the 401 of the same block.
    for (String b : unauthorized) {
      List<String> lines = List.of(b.split("\n"));
      int request = lines.indexOf("GET /api/transactions?limit=50 HTTP/1.1");
      int status = lines.indexOf("HTTP/1.1 401 Unauthorized");
      assertTrue(request >= 0 && status > request && status - request <= 20, b);
    }
    assertFalse(out.contains(truth.revokedToken()), "no raw token without --keep-secrets");
    String kept = http(sample, LocalOptions.defaults().withSecrets(new SecretsOptions(null, true)), false);
    assertEquals(truth.unauthorized(), blocks(kept).stream().filter(b -> b.contains("\nHTTP/1.1 401 ")
        && b.contains("\nAuthorization: Bearer " + truth.revokedToken() + "\n")).count(), "raw with --keep-secrets");
  }

  @Test
  void jsonLinesCarryTheTableColumns() throws Exception {
    String out = http(sample, LocalOptions.defaults(), true);
    String[] lines = out.split("\n");
    assertEquals(truth.requests(), lines.length);
    int unauthorized = 0;
    for (String l : lines) {
      assertTrue(l.startsWith("{\"flow_id\":\"") && l.endsWith("}"), l);
      for (String column : io.pcaplake.http.HttpRecord.COLUMNS) {
        assertTrue(l.contains("\"" + column + "\":"), column + " in " + l);
      }
      if (l.contains("\"status_code\":401,")) {
        unauthorized++;
        assertTrue(l.contains("\"client_ip\":\"" + SampleCapture.OFFENDING_CLIENT + "\""), l);
        assertTrue(l.matches(".*\"request_ts\":\"20\\d\\d-\\d\\d-\\d\\dT[0-9:.]+Z\".*"), l);
      }
    }
    assertEquals(truth.unauthorized(), unauthorized);
    assertFalse(out.contains(truth.revokedToken()));
    assertTrue(out.matches("(?s).*\"response_body_sha256\":\"[0-9a-f]{64}\".*"), "JSON lines carry the body hash");
  }

  /**
   * Text blocks show no body hash, so the engine computes none for them (HttpPrinter says so); any other consumer of
   * the exchanges, JSON lines and tables get it. Rows are seen here through a consumer, which keeps hashing; the
   * stage's switch itself is pinned in SampleHttpTruthTest.
   */
  @Test
  void bodyHashesOnlyWhereShown() throws Exception {
    assertFalse(new HttpPrinter(new StringWriter(), false).showsBodyHashes());
    assertTrue(new HttpPrinter(new StringWriter(), true).showsBodyHashes());
    List<io.pcaplake.http.HttpRecord> rows = new java.util.concurrent.CopyOnWriteArrayList<>();
    LocalEngine.run(List.of(CaptureInput.of(sample)), LocalOptions.defaults(), TableSink.NONE,
        (r, ex) -> rows.add(r));
    assertEquals(truth.requests(), rows.size());
    assertTrue(rows.stream().anyMatch(r -> r.responseBodySha256() != null), "hashed for any other consumer");
  }

  /**
   * The stream printer masks a header line wherever a line starts (CR or LF), for every name the tables treat as a
   * credential, and leaves everything else byte for byte: body text mentioning a header, over-long names, binary.
   */
  @Test
  void streamMaskingFingerprintsCredentialHeaderLinesOnly() {
    SecretsOptions options = new SecretsOptions(null, false);
    StreamPrinter p = new StreamPrinter(new ByteArrayOutputStream(), options);
    io.pcaplake.http.Secrets secrets = new io.pcaplake.http.Secrets(options);
    String auth = secrets.mask(new io.pcaplake.http.HttpHeader("Authorization", "Bearer abc.def")).value();
    String session = secrets.mask(new io.pcaplake.http.HttpHeader("X-Session-Token", "s3cr3t")).value();
    String cookie = secrets.mask(new io.pcaplake.http.HttpHeader("cookie", "sid=42")).value();
    assertTrue(auth.startsWith("fp:") && session.startsWith("fp:") && cookie.startsWith("fp:"));
    String longName = "X".repeat(65) + "-Token: kept";
    String in = "GET / HTTP/1.1\r\nAuthorization:   Bearer abc.def\r\nHost: h\rX-Session-Token:\ts3cr3t\n"
        + "var s = 'Authorization: in a body line';\n" + longName + "\ncookie: sid=42";
    String want = "GET / HTTP/1.1\r\nAuthorization: " + auth + "\r\nHost: h\rX-Session-Token: " + session + "\n"
        + "var s = 'Authorization: in a body line';\n" + longName + "\ncookie: " + cookie;
    byte[] bytes = (in + "trailing junk").getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = p.mask(bytes, in.length());
    assertEquals(want, new String(out, StandardCharsets.ISO_8859_1));
    byte[] plain = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n\u00ff\u0000Authorization\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(null, p.mask(plain, plain.length), "nothing to mask: the bytes are printed as they are");
  }

  @Test
  void printableBodyPrefixOnly() {
    assertEquals("{\"a\": 1} x", HttpPrinter.printable("{\"a\": 1}\nx".getBytes(StandardCharsets.UTF_8)));
    assertEquals(null, HttpPrinter.printable(new byte[] {0, 1, 2, 3, (byte) 0xff, 5, 6, 7}));
    assertEquals(HttpPrinter.BODY_CHARS, HttpPrinter.printable("z".repeat(1000).getBytes(StandardCharsets.UTF_8))
        .length());
  }

  static List<String> blocks(String out) {
    List<String> b = new ArrayList<>();
    int i = out.indexOf("== ");
    while (i >= 0) {
      int next = out.indexOf("\n== ", i);
      b.add(next < 0 ? out.substring(i) : out.substring(i, next + 1));
      i = next < 0 ? -1 : next + 1;
    }
    return b;
  }

  static int count(String s, String sub) {
    int n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
      n++;
    }
    return n;
  }
}
