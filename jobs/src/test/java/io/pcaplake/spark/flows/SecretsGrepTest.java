package io.pcaplake.spark.flows;

import static io.pcaplake.synth.HttpTraffic.header;
import static io.pcaplake.synth.HttpTraffic.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestSpark;
import io.pcaplake.http.BodyFiles;
import io.pcaplake.http.Secrets;
import io.pcaplake.spark.report.DayReport;
import io.pcaplake.spark.report.ReportJob;
import io.pcaplake.spark.report.ReportOptions;
import io.pcaplake.synth.CaptureFiles;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.HttpTraffic;
import io.pcaplake.synth.HttpTraffic.Header;
import io.pcaplake.synth.SynthPacket;
import io.pcaplake.synth.TcpConversation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, security: a capture full of credentials (Basic, Bearer JWT and opaque, Digest, Proxy-Authorization,
 * cookies, Set-Cookie, API-key headers, tokens in query strings, Referer and Location, and in an anomaly detail),
 * run through the flows job with body extraction on and the {@code io.pcaplake} log captured at DEBUG. Every output
 * is searched for the raw secrets: the tables read back through Spark SQL with every column cast to text,
 * report.xml, the nightly report.html of every day, the printed summary, the names of every file written (tables,
 * reports, extracted bodies) and the log.
 * None without --keep-secrets; with it, every header secret is in the tables and the URL ones in tables and log (so
 * the search can fail).
 */
class SecretsGrepTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static Path input;

  /** Secret -> true when it travels in a header (found in the tables with --keep-secrets), false for URL ones. */
  static final Map<String, Boolean> SECRETS = new LinkedHashMap<>();
  static final String BASIC = Base64.getEncoder().encodeToString(utf8("erin:Pa55-basic-SECRET"));
  static final String PROXY_BASIC = Base64.getEncoder().encodeToString(utf8("proxyuser:Pr0xy-SECRET"));
  static final String JWT = b64url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "."
      + b64url("{\"sub\":\"frank\",\"exp\":1900000000,\"iat\":1800000000}") + ".c2lnbmF0dXJlX1NFQ1JFVF9qd3Q";
  static final String OPAQUE = "opaqueTok_7f3a9c2e1b5d";
  static final String DIGEST_RESPONSE = "6629fae49393a05397450978507c4ef1";
  static final String COOKIE = "CookieSecret_aa11bb22";
  static final String SET_COOKIE = "SetCookieSecret_cc33dd44";
  static final String X_API_KEY = "xapikey_SECRET_4455";
  static final String API_KEY = "apikey_SECRET_6677";
  static final String X_AUTH_TOKEN = "xauth_SECRET_8899";
  static final String X_ACCESS_TOKEN = "xaccess_SECRET_0011";
  static final String QS_ACCESS = "qsAccessTok_ABC123";
  static final String QS_API_KEY = "qsApiKey_DEF456";
  static final String QS_SIGNATURE = "qsAmzSig_0a1b2c3d4e";
  static final String REFERER_CODE = "refCode_GHI789";
  static final String LOCATION_TOKEN = "locTok_JKL012";
  static final String ANOMALY_TOKEN = "anomTok_MNO345";

  static {
    for (String h : List.of(BASIC, PROXY_BASIC, JWT, OPAQUE, DIGEST_RESPONSE, COOKIE, SET_COOKIE, X_API_KEY, API_KEY,
        X_AUTH_TOKEN, X_ACCESS_TOKEN, REFERER_CODE, LOCATION_TOKEN)) {
      SECRETS.put(h, true);
    }
    for (String u : List.of(QS_ACCESS, QS_API_KEY, QS_SIGNATURE, ANOMALY_TOKEN)) {
      SECRETS.put(u, false);
    }
  }

  static String b64url(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(utf8(json));
  }

  @BeforeAll
  static void capture() throws IOException {
    spark = TestSpark.get();
    List<byte[]> requests = List.of(
        HttpTraffic.request("GET", "/api/basic", "api.example", List.of(HttpTraffic.basic("erin", "Pa55-basic-SECRET")),
            null),
        HttpTraffic.request("GET", "http://api.example/proxied", "api.example",
            List.of(header("Proxy-Authorization", "Basic " + PROXY_BASIC)), null),
        HttpTraffic.request("GET", "/api/jwt", "api.example", List.of(HttpTraffic.bearer(JWT)), null),
        HttpTraffic.request("POST", "/api/opaque", "api.example", List.of(HttpTraffic.bearer(OPAQUE),
            header("Content-Type", "application/json")), utf8("{\"q\":1}")),
        HttpTraffic.request("GET", "/dir/index.html", "api.example", List.of(header("Authorization",
            "Digest username=\"dave\", realm=\"r\", nonce=\"abc\", uri=\"/dir/index.html\", response=\""
                + DIGEST_RESPONSE + "\"")), null),
        HttpTraffic.request("GET", "/cookie", "api.example",
            List.of(header("Cookie", "session=" + COOKIE + "; theme=dark")), null),
        HttpTraffic.request("GET", "/keys", "api.example", List.of(header("X-Api-Key", X_API_KEY),
            header("Api-Key", API_KEY), header("X-Auth-Token", X_AUTH_TOKEN), header("X-Access-Token",
                X_ACCESS_TOKEN)), null),
        HttpTraffic.request("GET", "/v1/items?access_token=" + QS_ACCESS + "&page=2", "api.example",
            List.of(header("Referer", "https://app.example/cb?code=" + REFERER_CODE + "&state=s")), null),
        HttpTraffic.request("GET", "/v1/x?api_key=" + QS_API_KEY, "api.example", List.of(), null),
        HttpTraffic.request("GET", "/bucket/o?X-Amz-Expires=60&X-Amz-Signature=" + QS_SIGNATURE, "s3.example",
            List.of(), null),
        // a byte that is not UTF-8 in the target: http.non_utf8_uri quotes the target in its detail
        HttpTraffic.concat(utf8("GET /caf"), new byte[] {(byte) 0xe9},
            utf8("?token=" + ANOMALY_TOKEN + " HTTP/1.1\r\nHost: api.example\r\n\r\n")));
    List<byte[]> responses = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      List<Header> h = new ArrayList<>();
      h.add(header("Content-Type", "application/json"));
      h.add(header("Content-Disposition", "attachment; filename=\"../../../../etc/passwd\""));
      if (i == 5) {
        h.add(header("Set-Cookie", "sid=" + SET_COOKIE + "; HttpOnly"));
      }
      if (i == 8) {
        h.add(header("Location", "/login?token=" + LOCATION_TOKEN));
      }
      responses.add(i == 0 ? HttpTraffic.response(401, "Unauthorized", h, utf8("{\"error\":\"no\"}"))
          : HttpTraffic.gzipResponse(200, "OK", h, utf8("{\"ok\":" + i + "}"), i % 2 == 0 ? 0 : 7));
    }
    List<SynthPacket> packets = new ArrayList<>();
    long t = 1_780_000_000_000_000_000L;
    for (int i = 0; i < requests.size(); i++) {
      packets.addAll(TcpConversation.between(InetAddress.getByName("10.6.0." + (i + 1)), 41000 + i,
              InetAddress.getByName("10.6.1.1"), i % 2 == 0 ? 80 : 8080)
          .start(t + i * 1_000_000_000L).open().handshake()
          .clientSends(requests.get(i)).serverSends(responses.get(i)).fin().packets());
    }
    input = dir.resolve("in/secrets.pcapng");
    Files.createDirectories(input.getParent());
    CaptureFiles.write(input, Format.PCAPNG, packets);
    // The capture really carries every secret.
    String raw = new String(Files.readAllBytes(input), StandardCharsets.ISO_8859_1);
    for (String s : SECRETS.keySet()) {
      assertTrue(raw.contains(s), s);
    }
  }

  record Run(FlowsOptions options, FlowsSummary summary, String tables, String files, String report, String printed,
             String log, List<LocalDate> days, String html) {
    String everything() {
      return tables + "\n" + files + "\n" + report + "\n" + printed + "\n" + log + "\n" + html;
    }
  }

  static Run run(String name, boolean keep) throws IOException {
    Path out = dir.resolve(name);
    FlowsOptions o = new FlowsOptions(List.of(input.toString()), out.toString(), "", null, "r", "pcaplake flows",
        Instant.parse("2026-01-02T03:04:05Z"), null, keep, out.resolve("bodies").toString());
    StringWriter log = new StringWriter();
    FlowsSummary s;
    try (LogCapture c = new LogCapture("io.pcaplake", log)) {
      s = FlowsJob.run(spark, o);
    }
    // The nightly report of every day in the lake: report.html shows URIs, endpoints and token fingerprints.
    List<LocalDate> days;
    try (Stream<Path> dts = Files.list(out.resolve("http"))) {
      days = dts.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("dt="))
          .map(n -> LocalDate.parse(n.substring(3))).sorted().toList();
    }
    StringBuilder html = new StringBuilder();
    for (DayReport d : ReportJob.run(spark, new ReportOptions(out.toString(), days, false, null, "pcaplake report"))) {
      html.append(Files.readString(Path.of(d.dir()).resolve("report.html"))).append('\n');
    }
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    s.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
    StringBuilder files = new StringBuilder();
    try (Stream<Path> all = Files.walk(out)) {
      all.forEach(p -> files.append(p).append('\n'));
    }
    return new Run(o, s, HttpTableTest.tablesAsText(o), files.toString(), Files.readString(Path.of(o.reportPath())),
        printed.toString(StandardCharsets.UTF_8), log.toString(), days, html.toString());
  }

  @Test
  void noRawSecretAnywhereWithoutKeepSecretsAndAllWithIt() throws IOException {
    Run r = run("out-masked", false);
    assertEquals(11, r.summary().httpExchanges());
    String all = r.everything();
    for (String s : SECRETS.keySet()) {
      assertFalse(all.contains(s), "raw secret " + s + " in the output without --keep-secrets");
    }
    // The search looked at real content: masked values, the DEBUG exchange lines, the anomaly and the body files.
    Secrets secrets = new Secrets(null);
    for (String s : List.of(QS_ACCESS, QS_API_KEY, QS_SIGNATURE, REFERER_CODE, LOCATION_TOKEN, ANOMALY_TOKEN,
        X_API_KEY, X_AUTH_TOKEN, OPAQUE)) {
      assertTrue(r.tables().contains("fp:" + secrets.fingerprint(s)), "fingerprint of " + s + " in the tables");
    }
    assertTrue(r.log().contains("DEBUG") && r.log().contains("/v1/items?access_token=fp:"), r.log());
    assertTrue(r.log().contains("INFO") && r.log().contains("http exchanges"), r.log());
    assertTrue(r.tables().contains("http.non_utf8_uri"), "the anomaly quoting the target is in the table");
    assertEquals(12, r.summary().bodyFiles(), "11 response bodies and 1 request body: " + r.printed());
    try (Stream<Path> bodies = Files.list(Path.of(r.options().extractBodies()))) {
      List<String> names = bodies.map(p -> p.getFileName().toString()).toList();
      assertEquals(r.summary().bodyFiles(), names.size(), names.toString());
      for (String n : names) {
        assertTrue(BodyFiles.isSafeName(n), n);
      }
    }
    assertTrue(r.printed().contains("http bodies:"), r.printed());
    assertFalse(r.days().isEmpty(), "the lake has days to report");
    assertTrue(r.html().contains("<svg"), "report.html was rendered and searched");

    Run k = run("out-keep", true);
    for (Map.Entry<String, Boolean> e : SECRETS.entrySet()) {
      assertTrue(k.tables().contains(e.getKey()), "with --keep-secrets the tables keep " + e.getKey());
      if (!e.getValue()) {
        assertTrue(k.log().contains(e.getKey()), "with --keep-secrets the DEBUG log shows " + e.getKey());
      }
    }
  }

  /** Adds a DEBUG logger with a writer appender (no console) for a logger name while open. */
  static final class LogCapture implements AutoCloseable {
    private final LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    private final String name;
    private final WriterAppender appender;

    LogCapture(String name, StringWriter sink) {
      this.name = name;
      appender = WriterAppender.newBuilder().setName("capture-" + name).setTarget(sink)
          .setLayout(PatternLayout.newBuilder().withPattern("%p %c: %m%n").build()).build();
      appender.start();
      Configuration cfg = ctx.getConfiguration();
      cfg.addAppender(appender);
      LoggerConfig lc = new LoggerConfig(name, Level.DEBUG, false);
      lc.addAppender(appender, Level.DEBUG, null);
      cfg.addLogger(name, lc);
      ctx.updateLoggers();
    }

    @Override
    public void close() {
      Configuration cfg = ctx.getConfiguration();
      cfg.removeLogger(name);
      ctx.updateLoggers();
      appender.stop();
    }
  }
}
