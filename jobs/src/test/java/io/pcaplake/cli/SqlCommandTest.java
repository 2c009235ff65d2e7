package io.pcaplake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.SampleLake;
import io.pcaplake.TestSpark;
import io.pcaplake.spark.sql.LakeViews;
import io.pcaplake.spark.sql.SqlScript;
import io.pcaplake.synth.SampleCapture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pcaplake sql} on the sample lake: every format, partition pruning, errors, stdin scripts. */
class SqlCommandTest {
  static final String QUERY_401 = "SELECT auth_token_fp, count(*) AS n FROM http WHERE status_code = 401"
      + " GROUP BY auth_token_fp ORDER BY 2 DESC";

  @TempDir static Path tmp;
  static SparkSession spark;
  static SampleLake.Lake lake;
  static String fp;

  @BeforeAll
  static void lake() {
    spark = TestSpark.get();
    lake = SampleLake.get();
    fp = Fingerprints.of(null, lake.truth().revokedToken());
  }

  /** Runs statements; returns exit code, stdout, stderr. */
  record Run(int code, String out, String err) { }

  static Run sql(String script, SqlCommand.Format format, String out) throws Exception {
    return sql(lake.dir().toString(), script, format, out);
  }

  static Run sql(String lakeDir, String script, SqlCommand.Format format, String out) throws Exception {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code = SqlCommand.run(spark, new SqlCommand.Request(lakeDir, SqlScript.statements(script), format, out, 1000),
        new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
    return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  @Test
  void the401QueryInEveryFormat() throws Exception {
    int n = lake.truth().unauthorized();
    Run t = sql(QUERY_401, SqlCommand.Format.table, null);
    assertEquals(0, t.code(), t.err());
    assertTrue(t.out().matches("auth_token_fp +n\\n-{32}  -+\\n" + fp + " +" + n + "\\n\\(1 row\\)\\n"), t.out());

    Run c = sql(QUERY_401, SqlCommand.Format.csv, null);
    assertEquals("auth_token_fp,n\r\n" + fp + "," + n + "\r\n", c.out());

    Run j = sql(QUERY_401, SqlCommand.Format.json, null);
    assertEquals("{\"auth_token_fp\":\"" + fp + "\",\"n\":" + n + "}\n", j.out());

    Path out = tmp.resolve("answer");
    Run p = sql(QUERY_401, SqlCommand.Format.parquet, out.toString());
    assertEquals(0, p.code(), p.err());
    assertEquals("wrote " + out + "\n", p.out());
    List<org.apache.spark.sql.Row> back = spark.read().parquet(out.toString()).collectAsList();
    assertEquals(1, back.size());
    assertEquals(fp, back.get(0).getString(0));
    assertEquals(n, back.get(0).getLong(1));
  }

  @Test
  void csvQuotesPerRfc4180AndJsonEscapes() throws Exception {
    String q = "SELECT 'a,b' AS x, 'say \"hi\"' AS y, CAST(NULL AS STRING) AS z, 'two\nlines' AS w, 1.5 AS d";
    Run c = sql(q, SqlCommand.Format.csv, null);
    assertEquals("x,y,z,w,d\r\n\"a,b\",\"say \"\"hi\"\"\",,\"two\nlines\",1.5\r\n", c.out());
    Run j = sql(q, SqlCommand.Format.json, null);
    assertEquals("{\"x\":\"a,b\",\"y\":\"say \\\"hi\\\"\",\"z\":null,\"w\":\"two\\nlines\",\"d\":1.5}\n", j.out());
    Run t = sql(q, SqlCommand.Format.table, null);
    assertTrue(t.out().contains("two\\nlines"), t.out());
  }

  @Test
  void dtPrunesPartitionsAndTheSecondDayHoldsTheReturningClient() throws Exception {
    SampleCapture.Incidents inc = lake.truth().incidents();
    LakeViews.register(spark, lake.dir().toString());
    String q = "SELECT client_ip, user_agent, count(*) FROM http WHERE dt = '2024-03-13' GROUP BY 1, 2";
    String plan = spark.sql(q).queryExecution().executedPlan().toString();
    assertTrue(plan.matches("(?s).*PartitionFilters: \\[[^\\]]*2024-03-13.*"), plan);
    Run r = sql(q, SqlCommand.Format.csv, null);
    assertEquals("client_ip,user_agent,count(1)\r\n" + SampleCapture.Incidents.RETURNING_CLIENT + ","
        + SampleCapture.Incidents.NEW_USER_AGENT + "," + inc.secondDayRequests() + "\r\n", r.out());
    Run days = sql("SELECT dt, count(*) FROM http GROUP BY dt ORDER BY dt", SqlCommand.Format.csv, null);
    assertEquals("dt,count(1)\r\n2024-03-12," + (lake.truth().requests() - inc.secondDayRequests()) + "\r\n"
        + "2024-03-13," + inc.secondDayRequests() + "\r\n", days.out());
  }

  @Test
  void headersAndTimestampsPrintReadablyInUtc() throws Exception {
    String id = SampleCapture.requestId(20240312L, 0);
    String tz = spark.conf().get("spark.sql.session.timeZone");
    spark.conf().set("spark.sql.session.timeZone", "America/New_York");
    try {
      Run t = sql("SELECT request_ts, request_headers FROM http WHERE x_request_id = '" + id + "'",
          SqlCommand.Format.table, null);
      assertEquals(0, t.code(), t.err());
      assertTrue(t.out().contains("[Host: api.local:8000, User-Agent: reporting-ui/2.0, "), t.out());
      assertTrue(t.out().contains(", X-Request-Id: " + id + "]"), t.out());
      assertTrue(t.out().contains("(1 row)"), t.out());
      String ts = t.out().split("\n")[2].split(" ")[0];
      Instant expected = ((java.sql.Timestamp) spark.sql("SELECT request_ts FROM http WHERE x_request_id = '" + id
          + "'").first().get(0)).toInstant();
      assertEquals(expected.toString(), ts, "UTC ISO-8601 whatever the session time zone");
      assertTrue(ts.startsWith("2024-03-12T08:") && ts.endsWith("Z"), ts);
      Run j = sql("SELECT request_ts, request_headers[0] AS host FROM http WHERE x_request_id = '" + id + "'",
          SqlCommand.Format.json, null);
      assertEquals("{\"request_ts\":\"" + ts + "\",\"host\":{\"name\":\"Host\",\"value\":\"api.local:8000\"}}\n",
          j.out());
    } finally {
      spark.conf().set("spark.sql.session.timeZone", tz);
    }
  }

  @Test
  void scriptsRunInOrderAndABadStatementStopsWithOneLine() throws Exception {
    String script = "-- how many exchanges per day\nSELECT dt, count(*) AS n FROM http GROUP BY dt ORDER BY dt;\n"
        + "CREATE OR REPLACE TEMP VIEW bad AS SELECT * FROM http WHERE status_code = 401; -- no output\n"
        + "SELECT count(*) AS semicolon_in_string FROM bad WHERE uri <> 'a;b';";
    Run r = sql(script, SqlCommand.Format.table, null);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().matches("(?s)dt +n\\n.*\\(2 rows\\)\\n\\nsemicolon_in_string\\n-+\\n *"
        + lake.truth().unauthorized() + "\\n\\(1 row\\)\\n"), r.out());

    Run bad = sql("SELECT 1 AS ok; SELECT nope FROM htp; SELECT 2", SqlCommand.Format.csv, null);
    assertEquals(1, bad.code());
    assertEquals("ok\r\n1\r\n", bad.out(), "the first statement ran, the third did not");
    assertEquals(1, bad.err().lines().count(), bad.err());
    assertTrue(bad.err().startsWith("pcaplake sql: statement 2: [TABLE_OR_VIEW_NOT_FOUND]"), bad.err());
    assertTrue(bad.err().contains("(tables of this lake: anomalies, flows, http)"), bad.err());

    Run parse = sql("SELEC 1", SqlCommand.Format.table, null);
    assertEquals(1, parse.code());
    assertEquals(1, parse.err().lines().count(), parse.err());
    assertTrue(parse.err().startsWith("pcaplake sql: [PARSE_SYNTAX_ERROR]"), parse.err());
  }

  @Test
  void everyTableFolderIsAViewAndAMissingTableIsAbsent() throws Exception {
    Path small = tmp.resolve("small-lake");
    Files.createDirectories(small.resolve("_pcaplake"));
    Files.createDirectories(small.resolve(".trash"));
    Files.createDirectories(small.resolve("reports/x"));
    Files.writeString(small.resolve("reports/x/report.xml"), "<dfxml/>");
    spark.range(3).selectExpr("id AS record_index", "'2024-03-12' AS dt").write().partitionBy("dt")
        .parquet(small.resolve("packets").toString());
    spark.range(2).write().parquet(small.resolve("_pcaplake/state").toString());
    Files.createDirectories(small.resolve("http"));
    Map<String, String> views = LakeViews.register(spark, small.toString());
    assertEquals(List.of("http", "packets"), List.copyOf(views.keySet()));
    Run r = sql(small.toString(), "SELECT count(*) FROM packets WHERE dt = '2024-03-12';"
        + " SELECT count(*), count(auth_token_fp) FROM http", SqlCommand.Format.csv, null);
    assertEquals(0, r.code(), r.err());
    assertEquals("count(1)\r\n3\r\n\r\ncount(1),count(auth_token_fp)\r\n0,0\r\n", r.out());
    spark.catalog().dropTempView("flows");
    Run missing = sql(small.toString(), "SELECT * FROM flows", SqlCommand.Format.table, null);
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("(tables of this lake: http, packets)"), missing.err());

    Run none = sql(tmp.resolve("no-such-lake").toString(), "SELECT 1", SqlCommand.Format.table, null);
    assertEquals(1, none.code());
    assertTrue(none.err().startsWith("pcaplake sql: no lake at "), none.err());
  }

  @Test
  void usageErrorsExit2WithoutSpark() {
    PrintStream old = System.err;
    System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      assertEquals(2, Main.execute("sql", "SELECT 1"));
      assertEquals(2, Main.execute("sql", "--lake", "x", "--format", "parquet", "SELECT 1"));
      assertEquals(2, Main.execute("sql", "--lake", "x", "--out", "y", "SELECT 1"));
      assertEquals(2, Main.execute("sql", "--lake", "x", "--format", "xml", "SELECT 1"));
      assertEquals(2, Main.execute("sql", "--lake", "x", "-- only a comment"));
      String nb = SampleLake.notebooksDir().resolve("401s-by-token.sql").toString();
      assertEquals(2, Main.execute("notebook", "run", nb, "--lake", "x", "--param", "nope=1"));
      assertEquals(2, Main.execute("notebook", "run", nb, "--lake", "x", "--param", "status=401 OR 1=1"));
      assertEquals(2, Main.execute("notebook", "run", nb, "--lake", "x", "--param", "status"));
      assertEquals(2, Main.execute("notebook", "run", nb + ".missing", "--lake", "x"));
      assertEquals(2, Main.execute("notebook", "run", nb, "--lake", "x", "--format", "pdf"));
      assertEquals(2, Main.execute("notebook", "run", nb));
      assertEquals(2, Main.execute("notebook"));
    } finally {
      System.setErr(old);
    }
    assertFalse(spark.sparkContext().isStopped(), "no usage error touched the shared session");
  }

  @Test
  void aNotebookRunsToAFile() throws Exception {
    Path nb = SampleLake.notebooksDir().resolve("token-clients.sql");
    io.pcaplake.spark.sql.Notebook parsed = io.pcaplake.spark.sql.Notebook.parse("token-clients.sql",
        Files.readString(nb));
    Path html = tmp.resolve("reports/token.html");
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    int code = NotebookCommand.run(spark, parsed, lake.dir().toString(), Map.of("token_fp", fp),
        NotebookCommand.Format.html, 50, html, new PrintStream(o, true, StandardCharsets.UTF_8), System.err);
    assertEquals(0, code);
    assertEquals("wrote " + html + "\n", o.toString(StandardCharsets.UTF_8));
    String page = Files.readString(html);
    assertTrue(page.contains("<h1>Which clients still use a token</h1>"), page);
    assertTrue(page.contains("<td>" + lake.truth().offendingClient() + "</td>"), page);

    ByteArrayOutputStream e = new ByteArrayOutputStream();
    io.pcaplake.spark.sql.Notebook broken = io.pcaplake.spark.sql.Notebook.parse("b.sql",
        "-- # B\nSELECT 1 AS one;\n\nSELECT nope FROM http;\n");
    assertEquals(1, NotebookCommand.run(spark, broken, lake.dir().toString(), Map.of(), NotebookCommand.Format.md,
        50, null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8)));
    assertTrue(e.toString(StandardCharsets.UTF_8).startsWith("pcaplake notebook: b.sql: statement at line 4: "
        + "[UNRESOLVED_COLUMN"), e.toString(StandardCharsets.UTF_8));
  }

  @Test
  void scriptSplitterKeepsQuotesAndComments() {
    List<SqlScript.Cell> cells = SqlScript.parse("-- # Title\n-- prose line\n\nSELECT ';' AS a, \"x;y\", `c;d`"
        + " -- inline; comment\nFROM t;\n/* block; */ SELECT 'it''s', 'a\\'b';\n-- trailing prose\n");
    assertEquals(3, cells.size(), cells.toString());
    assertEquals(List.of("# Title", "prose line"), cells.get(0).prose());
    assertEquals("SELECT ';' AS a, \"x;y\", `c;d` -- inline; comment\nFROM t", cells.get(0).sql());
    assertEquals(1, cells.get(0).line());
    assertEquals("SELECT 'it''s', 'a\\'b'", cells.get(1).sql());
    assertEquals(List.of("trailing prose"), cells.get(2).prose());
    assertEquals(null, cells.get(2).sql());
    assertEquals(List.of(), SqlScript.statements("-- nothing\n;;\n"));
  }
}
