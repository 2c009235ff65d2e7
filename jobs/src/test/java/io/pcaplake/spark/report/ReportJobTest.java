package io.pcaplake.spark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestSpark;
import io.pcaplake.spark.flows.FlowsJob;
import io.pcaplake.spark.flows.TableSchemas;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report command on a lake written by the flows job ({@link ReportLake}: the sample across two days plus a
 * hostile client): the figures add up to the sample's ground truth and to the lake's tables, the summary tables
 * are readable Parquet, the day's report.xml holds exactly the day's connections with the runs' fileobjects,
 * capture content is escaped, an empty day gives a page saying so, and catch-up reports each missing day once and
 * is safe to run twice.
 */
class ReportJobTest {
  static final Pattern TOTAL_CONNECTIONS = Pattern.compile("<pl:total_connections>(\\d+)</pl:total_connections>");
  static final Pattern TCPFLOW = Pattern.compile("<tcpflow [^>]*/>");
  static final Pattern FLOW_ID = Pattern.compile("pl:flow_id='([^']*)'");

  static SparkSession spark;
  static ReportLake.Built lake;
  @TempDir Path tmp;

  @BeforeAll
  static void lake() {
    spark = TestSpark.get();
    lake = ReportLake.get();
  }

  static List<DayReport> report(String lakeDir, String... days) throws IOException {
    List<LocalDate> dates = Stream.of(days).map(LocalDate::parse).toList();
    return ReportJob.run(spark, new ReportOptions(lakeDir, dates, false, Instant.parse("2026-01-01T00:00:00Z"), "t"));
  }

  static long count(String sql) {
    return spark.sql(sql).first().getLong(0);
  }

  static void lakeViews(String lakeDir) {
    for (String t : ReportJob.DATA_TABLES) {
      spark.read().schema(TableSchemas.of(t)).parquet(lakeDir + "/" + t).createOrReplaceTempView("lake_" + t);
    }
  }

  static List<Row> table(String lakeDir, String day, String name) {
    return spark.read().parquet(lakeDir + "/reports/dt=" + day + "/tables/" + name).collectAsList();
  }

  static long sum(List<Row> rows, String column) {
    return rows.stream().mapToLong(r -> ((Number) r.getAs(column)).longValue()).sum();
  }

  @Test
  void figuresAddUpToTheSampleAndTheLake() throws IOException {
    List<DayReport> done = report(lake.lake(), ReportLake.DAY1, ReportLake.DAY2);
    assertEquals(2, done.size());
    lakeViews(lake.lake());
    long requests = 0;
    long unauthorized = 0;
    for (String day : List.of(ReportLake.DAY1, ReportLake.DAY2)) {
      long httpRows = count("SELECT count(*) FROM lake_http WHERE dt = '" + day + "'");
      long flowRows = count("SELECT count(*) FROM lake_flows WHERE dt = '" + day + "'");
      assertTrue(httpRows > 100 && flowRows > 30, day + ": the sample spans both days");
      assertEquals(httpRows, sum(table(lake.lake(), day, "requests_by_hour"), "requests"), day);
      Row totals = table(lake.lake(), day, "totals").get(0);
      assertEquals(httpRows, (long) totals.getAs("requests"));
      assertEquals(flowRows, (long) totals.getAs("connections"));
      assertEquals(count("SELECT count(*) FROM lake_anomalies WHERE dt = '" + day + "'"),
          (long) totals.getAs("anomalies"));
      assertEquals(flowRows, sum(table(lake.lake(), day, "capture_coverage"), "connections"));
      assertEquals(24, table(lake.lake(), day, "capture_coverage").size());
      requests += httpRows;
      for (Row r : table(lake.lake(), day, "auth_failures")) {
        if (ReportLake.fingerprint(lake.truth().revokedToken()).equals(r.getAs("auth_token_fp"))) {
          unauthorized += (long) r.getAs("status_401");
          assertEquals(lake.truth().offendingClient(), r.getAs("client_ips"));
        }
      }
    }
    // The sample's ground truth, plus the hostile client's 2 requests.
    assertEquals(lake.truth().requests() + 2, requests);
    assertEquals(lake.truth().unauthorized(), unauthorized);

    // Day 1's hours: the sample starts at 22:30; nothing before 22:00.
    List<Row> byHour = table(lake.lake(), ReportLake.DAY1, "requests_by_hour");
    assertEquals(Set.of(22, 23), new TreeSet<>(byHour.stream().map(r -> (Integer) r.getAs("hour")).toList()));
    // The hostile exchange: a 500 and a 403 on its (escaped on the page) endpoint, and its parser anomaly.
    List<Row> errors = table(lake.lake(), ReportLake.DAY1, "endpoint_errors");
    Row hostile = errors.stream().filter(r -> ReportLake.HOSTILE_HOST.equals(r.getAs("host"))).findFirst()
        .orElseThrow(() -> new AssertionError(errors.toString()));
    assertEquals(ReportLake.HOSTILE_PATH, hostile.getAs("path"));
    assertEquals(1L, (long) hostile.getAs("errors_4xx"));
    assertEquals(1L, (long) hostile.getAs("errors_5xx"));
    assertTrue(table(lake.lake(), ReportLake.DAY1, "anomalies_by_reason").stream()
        .anyMatch(r -> "http.missing_reason".equals(r.getAs("reason"))));
    List<Row> latency = table(lake.lake(), ReportLake.DAY1, "endpoint_latency");
    for (Row r : latency) {
      double p50 = r.getAs("p50_ms");
      double p95 = r.getAs("p95_ms");
      double p99 = r.getAs("p99_ms");
      assertTrue(p50 <= p95 && p95 <= p99 && p99 <= (double) r.getAs("max_ms"), r.toString());
    }

    String html = Files.readString(Path.of(lake.lake(), "reports/dt=" + ReportLake.DAY1, "report.html"));
    for (String raw : List.of(ReportLake.HOSTILE_PATH, ReportLake.HOSTILE_HOST, ReportLake.HOSTILE_UA)) {
      assertFalse(html.contains(raw), "raw capture text in the page: " + raw);
      assertTrue(html.contains(Html.escape(raw)), "escaped capture text on the page: " + raw);
    }
    assertFalse(html.contains("<script"), "a script element in the page");
    assertFalse(html.contains(ReportLake.HOSTILE_TOKEN), "raw token");
    for (String fetch : List.of("<link", "<img", "<iframe", "<object", "url(", "@import", "src=\"", "href=\"")) {
      assertFalse(html.contains(fetch), "the page fetches nothing: " + fetch);
    }
  }

  @Test
  void reportXmlHoldsTheDaysConnectionsWithTheRunsFileobjects() throws IOException {
    report(lake.lake(), ReportLake.DAY2);
    lakeViews(lake.lake());
    Set<String> dayFlows = new HashSet<>(spark.sql("SELECT flow_id FROM lake_flows WHERE dt = '" + ReportLake.DAY2
        + "'").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    String run = Files.readString(Path.of(lake.lake(), "reports/night1/report.xml"));
    String day = Files.readString(Path.of(lake.lake(), "reports/dt=" + ReportLake.DAY2, "report.xml"));
    Matcher total = TOTAL_CONNECTIONS.matcher(day);
    assertTrue(total.find());
    assertEquals(dayFlows.size(), Integer.parseInt(total.group(1)));
    // Each fileobject of the day is one of the run's, byte for byte; together they are the run's for these flows.
    Map<String, List<String>> runObjects = tcpflows(run);
    Map<String, List<String>> dayObjects = tcpflows(day);
    assertEquals(dayFlows, dayObjects.keySet());
    for (String id : dayFlows) {
      assertEquals(new TreeSet<>(runObjects.get(id)), new TreeSet<>(dayObjects.get(id)), id);
    }
    assertTrue(runObjects.size() > dayObjects.size(), "the run had day 1's connections too");
    assertTrue(day.startsWith("<?xml") && day.trim().endsWith("</dfxml>"));
  }

  static io.pcaplake.spark.flows.FlowsOptions flows(String out, String run) {
    io.pcaplake.spark.flows.FlowsOptions o = lake.flows();
    return new io.pcaplake.spark.flows.FlowsOptions(o.inputs(), out, "", null, run, o.commandLine(), o.startTime());
  }

  static Map<String, List<String>> tcpflows(String xml) {
    Map<String, List<String>> m = new HashMap<>();
    Matcher t = TCPFLOW.matcher(xml);
    while (t.find()) {
      Matcher id = FLOW_ID.matcher(t.group());
      assertTrue(id.find(), t.group());
      m.computeIfAbsent(id.group(1), k -> new ArrayList<>()).add(t.group());
    }
    return m;
  }

  @Test
  void aDayWithoutDataGivesAClearPage() throws IOException {
    DayReport d = report(lake.lake(), "2024-03-20").get(0);
    assertTrue(d.empty());
    String html = Files.readString(Path.of(lake.lake(), "reports/dt=2024-03-20/report.html"));
    assertTrue(html.contains("No data for 2024-03-20"), html);
    assertEquals(0L, (long) table(lake.lake(), "2024-03-20", "totals").get(0).getAs("requests"));
    assertTrue(table(lake.lake(), "2024-03-20", "requests_by_hour").isEmpty());
    // A lake with no tables at all (nothing ingested yet) too.
    Path empty = tmp.resolve("empty-lake");
    Files.createDirectories(empty);
    assertTrue(report(empty.toString(), "2024-03-12").get(0).empty());
    assertTrue(Files.readString(empty.resolve("reports/dt=2024-03-12/report.html")).contains("No data for"));
    assertTrue(Files.readString(empty.resolve("reports/dt=2024-03-12/report.xml"))
        .contains("<pl:total_connections>0</pl:total_connections>"));
  }

  @Test
  void catchUpReportsEachMissingDayOnceAndIsSafeTwice() throws IOException {
    // A lake of its own: the same captures, so the other tests' reports do not count as done.
    Path dir = tmp.resolve("catch-up-lake");
    FlowsJob.run(spark, flows(dir.toString(), "night1"));
    String l = dir.toString();
    Instant night = Instant.parse("2024-03-15T03:00:00Z");  // yesterday = 2024-03-14: no data that day
    assertEquals(List.of(LocalDate.parse(ReportLake.DAY1), LocalDate.parse(ReportLake.DAY2)),
        ReportJob.dueDays(spark, l));
    List<LocalDate> first = ReportJob.run(spark, new ReportOptions(l, List.of(), true, night, "t")).stream()
        .map(DayReport::date).toList();
    assertEquals(List.of(LocalDate.parse(ReportLake.DAY1), LocalDate.parse(ReportLake.DAY2),
        LocalDate.parse("2024-03-14")), first);
    assertEquals(List.of(), ReportJob.dueDays(spark, l));
    String day1 = Files.readString(dir.resolve("reports/dt=" + ReportLake.DAY1 + "/report.html"));

    // Twice: only yesterday again, rewritten in place; no temporary or old directories left behind.
    List<LocalDate> second = ReportJob.run(spark, new ReportOptions(l, List.of(), true, night, "t")).stream()
        .map(DayReport::date).toList();
    assertEquals(List.of(LocalDate.parse("2024-03-14")), second);
    try (Stream<Path> s = Files.list(dir.resolve("reports"))) {
      assertEquals(Set.of("night1", "dt=2024-03-12", "dt=2024-03-13", "dt=2024-03-14"),
          s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
    }
    assertEquals(day1, Files.readString(dir.resolve("reports/dt=" + ReportLake.DAY1 + "/report.html")));

    // Re-running day 1 by hand replaces its report whole: the same page (generated time aside).
    ReportJob.run(spark, new ReportOptions(l, List.of(LocalDate.parse(ReportLake.DAY1)), false, night, "t"));
    assertEquals(day1, Files.readString(dir.resolve("reports/dt=" + ReportLake.DAY1 + "/report.html")));

    // Data re-written after the reports (a re-ingest): both days are due again.
    FlowsJob.run(spark, flows(l, "night2"));
    assertEquals(List.of(LocalDate.parse(ReportLake.DAY1), LocalDate.parse(ReportLake.DAY2)),
        ReportJob.dueDays(spark, l));
    assertTrue(new String(Files.readAllBytes(dir.resolve("reports/dt=2024-03-14/report.html")),
        StandardCharsets.UTF_8).contains("No data for 2024-03-14"));
  }

  @Test
  void coverageComesFromTheCapturesTableWhenTheLakeHasOne() throws IOException {
    // A captures table with ingest's columns (its branch writes it; here Spark writes one row per capture file,
    // spanning its connections), in a lake of its own.
    Path dir = tmp.resolve("captures-lake");
    FlowsJob.run(spark, flows(dir.toString(), "night1"));
    spark.read().schema(TableSchemas.of("flows")).parquet(dir.resolve("flows").toString())
        .createOrReplaceTempView("cap_flows");
    spark.sql("SELECT file AS capture_file, 0L AS bytes, 'pcap' AS format, min(start_ts) AS first_ts,"
        + " max(end_ts) AS last_ts, sum(client_packets + server_packets) AS packets"
        + " FROM cap_flows LATERAL VIEW explode(capture_files) e AS file GROUP BY file")
        .write().parquet(dir.resolve("captures").toString());
    DayReport d = report(dir.toString(), ReportLake.DAY1).get(0);
    assertEquals("captures", d.coverageSource());
    Map<Integer, Long> files = new HashMap<>();
    for (Row r : table(dir.toString(), ReportLake.DAY1, "capture_coverage")) {
      assertEquals("captures", r.getAs("source"));
      files.put(r.getAs("hour"), r.getAs("capture_files"));
    }
    // The sample runs from 22:30 on (into the next day), the hostile capture at 23:10 only.
    assertEquals(1L, files.get(22));
    assertEquals(2L, files.get(23));
    assertEquals(0L, files.get(21));
    assertEquals(2L, (long) table(dir.toString(), ReportLake.DAY1, "totals").get(0).getAs("capture_files"));
    assertTrue(Files.readString(dir.resolve("reports/dt=" + ReportLake.DAY1 + "/report.html"))
        .contains("From the <code>captures</code> table"));
  }
}
