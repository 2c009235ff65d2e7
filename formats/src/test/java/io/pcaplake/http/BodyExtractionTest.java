package io.pcaplake.http;

import static io.pcaplake.synth.HttpTraffic.concat;
import static io.pcaplake.synth.HttpTraffic.header;
import static io.pcaplake.synth.HttpTraffic.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import io.pcaplake.synth.HttpTraffic;
import io.pcaplake.synth.HttpTraffic.Header;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --extract-bodies} at the parser level: file names built only from validated parts, every file inside the
 * folder whatever the URI, Content-Disposition, Content-Type or flow id say; contents equal the decoded bodies
 * (hash equal to the row's), truncated at the bomb limit; a failing file system is an anomaly, not a failure.
 */
class BodyExtractionTest {
  static final String FLOW = "0123456789abcdef0123456789abcdef";
  static final String LONG = "A".repeat(7000);

  @TempDir Path tmp;

  /** Hostile requests and responses: traversal in every place a naive extractor would take a name from. */
  static byte[][] hostile() {
    List<byte[]> client = new ArrayList<>();
    List<byte[]> server = new ArrayList<>();
    String[] targets = {
        "/../../../../etc/passwd", "/..%2F..%2F..%2Fetc%2Fshadow", "/C:/Windows/System32/x.dll",
        "//evil.example/abs/path", "/a/b/" + LONG + ".html", "/x%00.html?f=../../y", "/%2e%2e/%2e%2e/z.json",
        "/.htaccess", "/dir/"};
    String[] dispositions = {
        "attachment; filename=\"../../../../tmp/pwned.sh\"", "attachment; filename=/etc/cron.d/x",
        "attachment; filename=\"C:\\\\Windows\\\\win.ini\"", "inline; filename*=UTF-8''..%2F..%2Fz.txt",
        "attachment; filename=\"" + LONG + "\"", "attachment; filename=\"a\u0000b.html\"",
        "attachment; filename=\".bashrc\"", "attachment; filename=\"..\"", "attachment; filename=\"\""};
    String[] types = {"text/html", "../../x/../y", "application/json; name=../../a", "image/png",
        "text/plain/../../../etc", "application/vnd.api+json", "multipart/form-data; boundary=..", null,
        "\u0000/\u0000"};
    for (int i = 0; i < targets.length; i++) {
      List<Header> rq = new ArrayList<>();
      rq.add(header("Content-Disposition", dispositions[i]));
      if (types[i] != null) {
        rq.add(header("Content-Type", types[i]));
      }
      client.add(HttpTraffic.request("POST", targets[i], "h/../..", rq, utf8("request body " + i)));
      List<Header> rs = new ArrayList<>();
      rs.add(header("Content-Disposition", dispositions[i]));
      rs.add(header("Location", targets[i]));
      if (types[i] != null) {
        rs.add(header("Content-Type", types[i]));
      }
      byte[] body = utf8(("response body " + i + "\n").repeat(200 + i));
      server.add(i % 3 == 0 ? HttpTraffic.gzipResponse(200, "OK", rs, body, 100)
          : i % 3 == 1 ? HttpTraffic.chunkedResponse(200, "OK", rs, body, 333)
          : HttpTraffic.response(200, "OK", rs, body));
    }
    // raw NUL and high bytes in the request line itself
    byte[] nul = concat(utf8("GET /a\u0000/../../b"), new byte[] {(byte) 0xff, 0}, utf8(" HTTP/1.1\r\nHost: h\r\n\r\n"));
    client.add(nul);
    server.add(HttpTraffic.response(200, "OK", List.of(header("Content-Type", "text/html")), utf8("nul")));
    return new byte[][] {concat(client.toArray(byte[][]::new)), concat(server.toArray(byte[][]::new))};
  }

  @Test
  void everyFileIsInsideTheFolderWithABoundedNameAndTheDecodedBody() throws IOException {
    byte[][] t = hostile();
    int run = 0;
    for (int frag : new int[] {1, 7, 1448, Integer.MAX_VALUE}) {
      for (String flow : new String[] {FLOW, "../../../" + LONG + "/\u0000x"}) {
        Path dir = tmp.resolve("run" + run++).resolve("bodies");
        Harness h = new Harness(flow, HttpLimits.DEFAULTS, BodyFiles.directory(dir));
        h.client(t[0], Math.min(frag, t[0].length)).server(t[1], Math.min(frag, t[1].length)).close();
        assertEquals(10, h.exchanges.size());
        assertFalse(h.reasons().contains(HttpReasons.EXTRACT_FAILED), h.anomalies.toString());
        Map<String, HttpBody> expected = new TreeMap<>();
        for (HttpExchange e : h.exchanges) {
          for (boolean req : new boolean[] {true, false}) {
            HttpBody b = req ? e.request().body() : e.response().body();
            if (b != null && b.decodedBytes() > 0) {
              String name = BodyFiles.name(flow, e.exchangeIndex(), req,
                  req ? e.request().header("Content-Type") : e.response().header("Content-Type"));
              if (flow.equals(FLOW)) {
                assertTrue(name.startsWith(FLOW + (req ? "-HTTPREQBODY-" : "-HTTPBODY-")), name);
              }
              expected.put(name, b);
            }
          }
        }
        assertEquals(19, expected.size(), "9 request bodies and 10 response bodies");
        Map<String, HttpBody> seen = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
          for (Path p : all.filter(x -> !x.equals(dir)).toList()) {
            assertTrue(Files.isRegularFile(p), "only files: " + p);
            assertEquals(dir, p.getParent(), "flat, directly inside DIR: " + p);
            String n = p.getFileName().toString();
            assertTrue(BodyFiles.isSafeName(n) && n.length() <= BodyFiles.MAX_NAME, n);
            HttpBody b = expected.get(n);
            assertTrue(b != null, "unexpected file " + n);
            byte[] content = Files.readAllBytes(p);
            assertEquals(b.decodedBytes(), content.length, n);
            assertEquals(b.sha256(), sha256(content), n);
            seen.put(n, b);
          }
        }
        assertEquals(expected.keySet(), seen.keySet());
      }
    }
    // Nothing was created anywhere else under the test's temporary folder.
    try (Stream<Path> all = Files.walk(tmp)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        assertEquals("bodies", p.getParent().getFileName().toString(), p.toString());
      }
    }
  }

  @Test
  void extensionsComeFromAFixedMapNeverFromTheMessage() {
    assertEquals("html", BodyFiles.extension("Text/HTML; charset=utf-8"));
    assertEquals("json", BodyFiles.extension("application/problem+json"));
    assertEquals("xml", BodyFiles.extension("application/atom+xml"));
    assertEquals("jpg", BodyFiles.extension("image/jpeg"));
    for (String bad : new String[] {null, "", "../../x", "text/html/../../y", "a/b.sh", "\u0000", "x/" + LONG}) {
      assertEquals("bin", BodyFiles.extension(bad), String.valueOf(bad));
    }
    assertEquals(FLOW + "-HTTPBODY-007.html", BodyFiles.name(FLOW, 7, false, "text/html"));
    assertEquals(FLOW + "-HTTPREQBODY-1234.form",
        BodyFiles.name(FLOW, 1234, true, "application/x-www-form-urlencoded"));
    String odd = BodyFiles.name("../" + LONG, Integer.MAX_VALUE, false, "multipart/form-data");
    assertTrue(BodyFiles.isSafeName(odd) && odd.length() <= BodyFiles.MAX_NAME, odd);
    assertThrows(IllegalArgumentException.class, () -> BodyFiles.name(FLOW, -1, false, null));
    for (String bad : new String[] {"../x", "/etc/passwd", FLOW + "-HTTPBODY-001.html/../../x", "a\u0000b",
        ".", "..", "", FLOW + "-HTTPBODY-001.HTML", FLOW + "-HTTPBODY-01.html"}) {
      assertFalse(BodyFiles.isSafeName(bad), bad);
    }
  }

  @Test
  void theLocalOpenerRefusesUnsafeNamesAndSymlinks() throws IOException {
    Path dir = tmp.resolve("bodies");
    BodyFiles.Opener o = BodyFiles.directory(dir);
    assertThrows(IOException.class, () -> o.create("../escape.html"));
    assertThrows(IOException.class, () -> o.create("/tmp/escape.html"));
    Path outside = tmp.resolve("outside.txt");
    Files.writeString(outside, "keep");
    String name = BodyFiles.name(FLOW, 0, false, "text/plain");
    try {
      Files.createSymbolicLink(dir.resolve(name), outside);
    } catch (UnsupportedOperationException | IOException e) {
      return;   // no symlinks on this file system: nothing to check
    }
    assertThrows(IOException.class, () -> o.create(name));
    assertEquals("keep", Files.readString(outside));
  }

  @Test
  void bodiesAreTruncatedAtTheBombLimitAndEmptyBodiesMakeNoFile() throws IOException {
    Path dir = tmp.resolve("bomb");
    HttpLimits capped = HttpLimits.DEFAULTS.withDecodeCaps(100_000, 1000, 1000);
    byte[] zeros = new byte[5_000_000];
    byte[] client = concat(HttpTraffic.request("GET", "/z", "h", List.of(), null),
        HttpTraffic.request("GET", "/empty", "h", List.of(), null));
    byte[] server = concat(
        HttpTraffic.response(200, "OK", List.of(header("Content-Encoding", "zstd")), Zstd.compress(zeros)),
        HttpTraffic.response(200, "OK", List.of(), new byte[0]));
    Harness h = new Harness(FLOW, capped, BodyFiles.directory(dir));
    h.client(client, 4096).server(server, 4096).close();
    assertTrue(h.reasons().contains(HttpReasons.DECOMPRESSION_BOMB), h.reasons().toString());
    HttpBody b = h.exchanges.get(0).response().body();
    assertTrue(b.truncated());
    byte[] f = Files.readAllBytes(dir.resolve(BodyFiles.name(FLOW, 0, false, null)));
    assertEquals(b.decodedBytes(), f.length);
    assertTrue(f.length <= 100_000, "at most maxDecodedBytes: " + f.length);
    try (Stream<Path> all = Files.list(dir)) {
      assertEquals(1, all.count(), "the empty response made no file");
    }
  }

  @Test
  void aFailingFileSystemIsAnAnomalyAndTheExchangeIsStillThere() {
    BodyFiles.Opener refuses = name -> {
      throw new IOException("disk full");
    };
    BodyFiles.Opener breaks = name -> new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("EIO");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("EIO");
      }
    };
    byte[] body = utf8("x".repeat(5000));
    for (BodyFiles.Opener o : new BodyFiles.Opener[] {refuses, breaks}) {
      Harness h = new Harness(FLOW, HttpLimits.DEFAULTS, o);
      h.client(HttpTraffic.request("GET", "/", "h", List.of(), null), 100)
          .server(HttpTraffic.response(200, "OK", List.of(), body), 100).close();
      HttpExchange e = h.only();
      assertEquals(5000, e.response().body().decodedBytes());
      assertEquals(1, h.reasons().stream().filter(HttpReasons.EXTRACT_FAILED::equals).count(), h.reasons().toString());
      HttpAnomaly a = h.anomalies.stream().filter(x -> x.reason().equals(HttpReasons.EXTRACT_FAILED)).findFirst()
          .orElseThrow();
      assertFalse(a.fromClient());
    }
    Harness off = new Harness(HttpLimits.DEFAULTS);
    off.client(HttpTraffic.request("GET", "/", "h", List.of(), null), 100)
        .server(HttpTraffic.response(200, "OK", List.of(), body), 100).close();
    assertNull(off.only().tunnel());
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
