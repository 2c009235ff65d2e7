package io.pcaplake.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.SampleLake;
import io.pcaplake.TestSpark;
import io.pcaplake.http.Secrets;
import io.pcaplake.synth.SampleCapture;
import io.pcaplake.synth.SampleCapture.Incidents;
import io.pcaplake.synth.SynthPacket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs EVERY notebook in {@code notebooks/} with its default parameters against the sample lake: each statement's
 * result is non-empty, and each notebook's answer is checked against the sample's ground truth (a notebook without
 * a check here fails the test). Also: parameters are bound as literals (no injection), HTML is escaped.
 */
class NotebooksTest {
  static SparkSession spark;
  static SampleLake.Lake lake;
  static SampleCapture.Truth truth;
  static Path dir;
  static String timeZone;
  static final Secrets SECRETS = new Secrets(null);

  @BeforeAll
  static void setUp() {
    spark = TestSpark.get();
    timeZone = spark.conf().get("spark.sql.session.timeZone");
    spark.conf().set("spark.sql.session.timeZone", "UTC"); // as the CLI does
    lake = SampleLake.get();
    truth = lake.truth();
    dir = SampleLake.notebooksDir();
  }

  @AfterAll
  static void tearDown() {
    spark.conf().set("spark.sql.session.timeZone", timeZone);
  }

  static NotebookRun run(String file, Map<String, String> params) throws IOException {
    Notebook nb = Notebook.parse(file, Files.readString(dir.resolve(file)));
    return NotebookRun.execute(spark, nb, lake.dir().toString(), params, 500);
  }

  /** The results of the statements (prose-only cells skipped). */
  static List<List<Row>> results(NotebookRun r) {
    List<List<Row>> out = new ArrayList<>();
    for (NotebookRun.CellResult c : r.cells()) {
      if (c.sql() != null) {
        out.add(c.rows());
      }
    }
    return out;
  }

  static Instant ts(Row r, String col) {
    return ((Timestamp) r.getAs(col)).toInstant();
  }

  static long n(Row r, String col) {
    return ((Number) r.getAs(col)).longValue();
  }

  /** The sanity check of each notebook, by file name. */
  static Map<String, Consumer<NotebookRun>> checks() {
    Map<String, Consumer<NotebookRun>> m = new TreeMap<>();
    String revokedFp = SECRETS.fingerprint(truth.revokedToken());
    Instant firstUnauthorized = Instant.EPOCH.plusNanos(truth.firstUnauthorizedNanos()).truncatedTo(ChronoUnit.MICROS);
    Incidents inc = truth.incidents();
    m.put("401s-by-token.sql", r -> {
      List<List<Row>> res = results(r);
      Row top = res.get(0).get(0);
      assertEquals(revokedFp, top.getAs("auth_token_fp"));
      assertTrue(truth.revokedToken().endsWith(top.getAs("auth_token_hint")), top.toString());
      assertEquals(truth.unauthorized(), n(top, "requests"));
      assertEquals(1, n(top, "clients"));
      assertEquals(firstUnauthorized, ts(top, "first_seen"));
      long perHour = 0;
      Instant prev = Instant.MIN;
      for (Row h : res.get(1)) {
        Instant hour = ts(h, "hour");
        assertEquals(hour.truncatedTo(ChronoUnit.HOURS), hour, "UTC hour buckets");
        assertFalse(hour.isBefore(prev));
        prev = hour;
        perHour += revokedFp.equals(h.getAs("auth_token_fp")) ? n(h, "requests") : 0;
      }
      assertEquals(truth.unauthorized(), perHour);
      assertEquals(Instant.parse("2024-03-12T10:00:00Z"), ts(res.get(1).get(0), "hour"), "revoked at 10:00");
      Row client = res.get(2).get(0);
      assertEquals(truth.offendingClient(), client.getAs("client_ip"));
      assertEquals(truth.unauthorized(), n(client, "requests"));
    });
    m.put("token-clients.sql", r -> {
      List<List<Row>> res = results(r);
      assertEquals(1, res.get(0).size(), res.get(0).toString());
      Row c = res.get(0).get(0);
      assertEquals(truth.offendingClient(), c.getAs("client_ip"));
      assertEquals(truth.unauthorized(), n(c, "rejected"));
      assertEquals(n(c, "requests"), n(c, "rejected") + n(c, "accepted"));
      assertEquals(1, res.get(1).size(), res.get(1).toString());
      assertEquals("2024-03-12", res.get(1).get(0).getAs("dt"));
      assertEquals("200, 401", res.get(1).get(0).getAs("statuses"), "accepted before the revocation, then 401");
    });
    m.put("slowest-endpoints.sql", r -> {
      List<List<Row>> res = results(r);
      List<String> endpoints = new ArrayList<>();
      double prevP95 = Double.MAX_VALUE;
      for (Row e : res.get(0)) {
        double p50 = e.getAs("p50_ms");
        double p95 = e.getAs("p95_ms");
        double p99 = e.getAs("p99_ms");
        double max = e.getAs("max_ms");
        assertTrue(0 < p50 && p50 <= p95 && p95 <= p99 && p99 <= max, e.toString());
        assertTrue(p95 <= prevP95, "ordered by p95");
        prevP95 = p95;
        assertTrue(n(e, "requests") >= 5);
        endpoints.add(e.getAs("method") + " " + e.getAs("endpoint"));
      }
      assertTrue(endpoints.containsAll(List.of("GET /api/accounts/{id}", "GET /api/transactions",
          "POST /api/transactions", "GET /health")), endpoints.toString());
      double slowest = res.get(1).get(0).getAs("latency_ms");
      double max = spark.sql("SELECT max(latency_ms) FROM http").first().getDouble(0);
      assertEquals(max, slowest);
      assertTrue(res.get(1).size() <= 20);
    });
    m.put("request-by-id.sql", r -> {
      String id = r.values().get("request_id");
      String requestLine = requestLineOf(id);
      List<List<Row>> res = results(r);
      assertEquals(1, res.get(0).size(), "exactly the request with that id");
      Row x = res.get(0).get(0);
      assertEquals(requestLine, x.getAs("method") + " " + x.getAs("uri"));
      assertEquals(Incidents.GAP_CLIENT, x.getAs("client_ip"));
      assertEquals(200, (int) x.getAs("status_code"));
      assertTrue(n(x, "gap_bytes") > 0 || !(boolean) x.getAs("response_complete"), x.toString());
      assertTrue(Values.text(res.get(1).get(0).get(0)).contains("X-Request-Id: " + id), res.get(1).toString());
      assertEquals(1, res.get(2).size());
      assertEquals(inc.missingBytes(), n(res.get(2).get(0), "missing_bytes"));
      assertFalse(res.get(3).isEmpty());
    });
    m.put("client-activity.sql", r -> {
      List<List<Row>> res = results(r);
      Instant from = Instant.parse(r.values().get("from"));
      Instant to = Instant.parse(r.values().get("to"));
      Row s = res.get(0).get(0);
      assertTrue(n(s, "ok") > 0 && n(s, "unauthorized") > 0, "the window straddles the revocation: " + s);
      assertEquals(n(s, "requests"), res.get(2).size());
      for (Row q : res.get(2)) {
        Instant t = ts(q, "request_ts");
        assertTrue(!t.isBefore(from) && t.isBefore(to), t.toString());
      }
      assertTrue(res.get(1).size() >= n(s, "connections"));
      for (Row c : res.get(1)) {
        assertTrue(ts(c, "start_ts").isBefore(to) && !ts(c, "end_ts").isBefore(from), c.toString());
      }
    });
    m.put("gaps-and-resets.sql", r -> {
      List<List<Row>> res = results(r);
      assertEquals(2, res.get(0).size(), res.get(0).toString());
      Row reset = res.get(0).get(0);
      Row gap = res.get(0).get(1);
      assertEquals(Incidents.RESET_CLIENT, reset.getAs("client_ip"));
      assertTrue((boolean) reset.getAs("rst_seen"));
      assertEquals(0, n(reset, "missing_bytes"));
      assertEquals(Incidents.GAP_CLIENT, gap.getAs("client_ip"));
      assertEquals(inc.missingBytes(), n(gap, "missing_bytes"));
      assertTrue(n(gap, "anomalies") > 0, gap.toString());
      assertEquals(3, res.get(1).size(), "two exchanges on the reset connection, one on the gap's");
      assertFalse(res.get(2).isEmpty());
    });
    m.put("new-since-yesterday.sql", r -> {
      List<List<Row>> res = results(r);
      assertEquals(1, res.get(0).size(), res.get(0).toString());
      assertEquals(Incidents.NEW_USER_AGENT, res.get(0).get(0).getAs("user_agent"));
      assertEquals(inc.secondDayRequests(), n(res.get(0).get(0), "requests"));
      assertEquals(Incidents.RETURNING_CLIENT, res.get(0).get(0).getAs("clients"));
      assertEquals(1, res.get(1).size(), res.get(1).toString());
      assertEquals(SECRETS.fingerprint(inc.rotatedToken()), res.get(1).get(0).getAs("auth_token_fp"));
    });
    return m;
  }

  /** The request line of the captured request carrying this X-Request-Id, from the capture's bytes. */
  static String requestLineOf(String id) {
    List<String> found = new ArrayList<>();
    for (SynthPacket p : lake.sample().packets()) {
      String s = new String(p.frame(), StandardCharsets.ISO_8859_1);
      if (s.contains("\r\nX-Request-Id: " + id + "\r\n")) {
        int start = s.indexOf("GET ") >= 0 ? s.indexOf("GET ") : s.indexOf("POST ");
        String line = s.substring(start, s.indexOf("\r\n", start));
        found.add(line.substring(0, line.lastIndexOf(' ')));
      }
    }
    assertEquals(1, found.size(), "one captured request with id " + id);
    return found.get(0);
  }

  @Test
  void everyNotebookRunsOnTheSampleLakeAndFindsTheSamplesTruth() throws Exception {
    List<String> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".sql")).sorted().toList();
    }
    Map<String, Consumer<NotebookRun>> checks = checks();
    assertEquals(checks.keySet().stream().sorted().toList(), files, "every notebook has a sanity check here");
    String readme = Files.readString(dir.resolve("README.md"));
    for (String f : files) {
      assertTrue(readme.contains("`" + f + "`"), "notebooks/README.md lists " + f);
      NotebookRun r = run(f, Map.of());
      assertFalse(r.notebook().title().equals(f), f + " has a '# title'");
      int statements = 0;
      for (NotebookRun.CellResult c : r.cells()) {
        if (c.sql() != null) {
          statements++;
          assertFalse(c.columns().isEmpty(), f + ": a query");
          assertFalse(c.rows().isEmpty(), f + ": empty result of\n" + c.sql());
          assertFalse(c.sql().contains("${"), c.sql());
        }
      }
      assertTrue(statements >= 2, f);
      checks.get(f).accept(r);
      String md = NotebookReport.markdown(r);
      assertTrue(md.startsWith("# " + r.notebook().title() + "\n"), md);
      assertTrue(md.contains("```sql\n") && md.matches("(?s).*\n\\|( ---:? \\|)+\n.*"), md);
      String html = NotebookReport.html(r);
      assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<table>") && !html.contains("<script"), f);
    }
  }

  @Test
  void parametersAreBoundAsLiteralsNeverAsText() throws Exception {
    String other = SampleCapture.requestId(20240312L, 0);
    NotebookRun r = run("request-by-id.sql", Map.of("request_id", other));
    assertEquals(1, results(r).get(0).size());
    assertEquals(requestLineOf(other), results(r).get(0).get(0).getAs("method") + " "
        + results(r).get(0).get(0).getAs("uri"));

    for (String evil : List.of("x' OR '1'='1", "x\\' OR 1=1 --", "x'; DROP VIEW http; --")) {
      NotebookRun e = run("request-by-id.sql", Map.of("request_id", evil));
      assertTrue(results(e).get(0).isEmpty(), evil);
    }
    assertTrue(spark.catalog().tableExists("http"));

    NotebookRun script = run("request-by-id.sql", Map.of("request_id", "<script>alert(1)</script>"));
    String html = NotebookReport.html(script);
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script"), html);

    assertThrows(Notebook.ParamException.class, () -> run("401s-by-token.sql", Map.of("status", "401 OR 1=1")));
    assertThrows(Notebook.ParamException.class, () -> run("401s-by-token.sql", Map.of("nope", "1")));
    assertThrows(Notebook.ParamException.class, () -> run("new-since-yesterday.sql", Map.of("day", "yesterday")));
    assertThrows(Notebook.ParamException.class, () -> run("client-activity.sql", Map.of("from", "09:45")));
    NotebookRun day1 = run("new-since-yesterday.sql", Map.of("day", "2024-03-12"));
    assertEquals(7, results(day1).get(1).size(), "the first day: every token is new");
  }

  @Test
  void parsingLiteralsAndDeclarations() {
    Notebook nb = Notebook.parse("t.sql", "-- Databricks notebook source\n-- # T\n-- @param s string = a'b\\c"
        + " | doc\n-- @param n int = 3\n-- @param d double = 1.5\n-- @param day date\n"
        + "-- @param at timestamp = 2024-03-12T09:30:00Z\n-- COMMAND ----------\n"
        + "SELECT ${s}, ${n}, ${d}, ${day}, ${at};\n");
    assertEquals("T", nb.title());
    assertEquals(List.of("# T"), nb.cells().get(0).prose());
    assertThrows(Notebook.ParamException.class, () -> nb.values(Map.of()), "day has no default");
    Map<String, String> v = nb.values(Map.of("day", "2024-03-13"));
    assertEquals("a'b\\c", v.get("s"));
    String sql = nb.bind(nb.cells().get(0).sql(), v);
    assertEquals("SELECT 'a\\'b\\\\c', 3, CAST(1.5 AS DOUBLE), DATE'2024-03-13',"
        + " TIMESTAMP'2024-03-12 09:30:00+00:00'", sql);
    Row row = spark.sql(sql).first();
    assertEquals("a'b\\c", row.getString(0));
    assertEquals(Instant.parse("2024-03-12T09:30:00Z"), ((Timestamp) row.get(4)).toInstant());
    assertThrows(Notebook.ParamException.class, () -> Notebook.parse("u.sql", "SELECT ${undeclared}"));
    assertThrows(Notebook.ParamException.class, () -> Notebook.parse("v.sql", "-- @param x number = 1\nSELECT 1"));
    assertNotNull(nb.params().get(0).doc());
  }
}
