package io.pcaplake.spark.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Renders report.html from a day's {@link ReportFigures}: one self-contained page (inline CSS, charts as inline SVG
 * from {@link SvgChart}, no script, nothing fetched), one section per figure with its chart and its table. Every
 * value that comes from a capture is escaped ({@link Html}).
 */
final class ReportPage {
  private ReportPage() { }

  /** Chart titles, in page order (the Chromium test looks for them). */
  static final String REQUESTS = "Requests per hour by status class";
  static final String AUTH = "401/403 responses per hour by token fingerprint";
  static final String ENDPOINT_ERRORS = "Top endpoints by errors (4xx + 5xx)";
  static final String LATENCY = "Latency p95 per endpoint (ms)";
  static final String TALKERS_REQUESTS = "Top talkers by requests";
  static final String TALKERS_BYTES = "Top talkers by payload bytes";
  static final String ANOMALIES = "Anomalies by reason";
  static final String COVERAGE = "Capture coverage: packets per hour";

  static final Map<String, String> STATUS_COLORS = new LinkedHashMap<>();

  static {
    STATUS_COLORS.put("2xx", "#2ca02c");
    STATUS_COLORS.put("3xx", "#1f77b4");
    STATUS_COLORS.put("4xx", "#ff7f0e");
    STATUS_COLORS.put("5xx", "#d62728");
    STATUS_COLORS.put("1xx", "#9467bd");
    STATUS_COLORS.put("none", "#7f7f7f");
  }

  private static final String CSS = """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:24px;color:#222}
      h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}
      .meta,.note{color:#555;font-size:.9em}
      table{border-collapse:collapse;font-size:.85em;margin:8px 0}
      th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
      th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
      td{max-width:420px;overflow-wrap:anywhere}
      svg.chart{display:block;margin:8px 0;max-width:100%;height:auto}
      svg text{font-size:11px;fill:#333}svg text.chart-title{font-size:13px;font-weight:600}
      dl.totals{display:grid;grid-template-columns:max-content max-content;gap:2px 16px}
      dl.totals dd{margin:0;text-align:right;font-variant-numeric:tabular-nums}
      #no-data{padding:16px;border:1px solid #e0c000;background:#fffbe6}
      """;

  static String render(ReportFigures f) {
    StringBuilder sb = new StringBuilder(64 * 1024);
    String date = f.date().toString();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>pcaplake daily report ").append(date).append("</title><style>").append(CSS)
        .append("</style></head><body>\n");
    sb.append("<h1>pcaplake daily report: ").append(date).append(" (UTC)</h1>\n");
    sb.append("<p class=\"meta\">Lake <code>").append(Html.escape(f.lake())).append("</code>; connections whose")
        .append(" first packet is dated ").append(date).append(" (the lake's <code>dt</code> partition) and their")
        .append(" HTTP exchanges and anomalies. Generated ").append(Html.escape(f.generated().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()))
        .append(". Times are UTC. The figures are also in <code>tables/&lt;name&gt;/</code> (Parquet) beside")
        .append(" this page; <code>report.xml</code> lists the day's connections (DFXML).</p>\n");
    if (f.empty()) {
      sb.append("<section id=\"no-data\"><h2>No data for ").append(date).append("</h2><p>The lake has no")
          .append(" connections, HTTP exchanges or anomalies dated ").append(date).append(". Either no capture")
          .append(" covered this day or its captures have not been ingested yet.</p></section>\n");
    } else {
      totals(sb, f);
      requests(sb, f);
      auth(sb, f);
      endpointErrors(sb, f);
      latency(sb, f);
      talkers(sb, f);
      anomalies(sb, f);
    }
    if (!f.empty() || f.fromCaptures()) {
      coverage(sb, f);  // an empty day's coverage is all zeros unless captures covered it (e.g. no TCP at all)
    }
    sb.append("</body></html>\n");
    return sb.toString();
  }

  private static void totals(StringBuilder sb, ReportFigures f) {
    Row t = f.rows("totals").get(0);
    sb.append("<section id=\"summary\"><h2>Summary</h2><dl class=\"totals\">");
    String[][] items = {{"requests", "HTTP requests"}, {"error_responses", "responses 4xx/5xx"},
        {"auth_failures", "401/403 responses"}, {"connections", "TCP connections"}, {"packets", "packets"},
        {"payload_bytes", "TCP payload bytes"}, {"clients", "client addresses"}, {"anomalies", "anomalies"}};
    for (String[] it : items) {
      sb.append("<dt>").append(it[1]).append("</dt><dd>").append(f.total(it[0])).append("</dd>");
    }
    sb.append("<dt>first packet</dt><dd>").append(Html.escape(ReportFigures.time(t.getAs("first_ts"))))
        .append("</dd><dt>last packet</dt><dd>").append(Html.escape(ReportFigures.time(t.getAs("last_ts"))))
        .append("</dd></dl></section>\n");
  }

  private static List<String> hours() {
    List<String> h = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      h.add(String.format("%02d", i));
    }
    return h;
  }

  private static void requests(StringBuilder sb, ReportFigures f) {
    sb.append("<section id=\"requests\"><h2>").append(REQUESTS).append("</h2>");
    List<Row> rows = f.rows("requests_by_hour");
    if (rows.isEmpty()) {
      none(sb, "No HTTP requests this day.");
    } else {
      Map<String, double[]> byClass = new LinkedHashMap<>();
      for (String c : STATUS_COLORS.keySet()) {
        byClass.put(c, new double[24]);
      }
      for (Row r : rows) {
        String c = r.getAs("status_class");
        byClass.computeIfAbsent(c, k -> new double[24])[(Integer) r.getAs("hour")] += ((Number) r.getAs("requests"))
            .doubleValue();
      }
      List<SvgChart.Series> series = new ArrayList<>();
      HtmlTable table = new HtmlTable("requests-table", "status class", "requests", "busiest hour");
      for (Map.Entry<String, double[]> e : byClass.entrySet()) {
        double sum = 0;
        int busiest = 0;
        for (int h = 0; h < 24; h++) {
          sum += e.getValue()[h];
          busiest = e.getValue()[h] > e.getValue()[busiest] ? h : busiest;
        }
        if (sum > 0) {
          series.add(new SvgChart.Series(e.getKey(), e.getValue(), STATUS_COLORS.getOrDefault(e.getKey(), "#333")));
          table.row(e.getKey(), (long) sum, String.format("%02d:00", busiest));
        }
      }
      sb.append(SvgChart.stackedBars(REQUESTS, "hour of day (UTC)", "requests", hours(), series));
      sb.append(table.html());
    }
    sb.append("</section>\n");
  }

  static String token(Object fp) {
    return fp == null ? "(no token)" : fp.toString();
  }

  private static void auth(StringBuilder sb, ReportFigures f) {
    sb.append("<section id=\"auth\"><h2>401/403 by token fingerprint</h2>");
    List<Row> rows = f.rows("auth_failures");
    if (rows.isEmpty()) {
      none(sb, "No 401 or 403 responses this day.");
    } else {
      // One line per fingerprint: the 9 with most failures, the rest as "other".
      Map<String, double[]> lines = new LinkedHashMap<>();
      for (int i = 0; i < Math.min(9, rows.size()); i++) {
        lines.put(token(rows.get(i).getAs("auth_token_fp")), new double[24]);
      }
      for (Row r : f.rows("auth_failures_by_hour")) {
        String key = token(r.getAs("auth_token_fp"));
        double[] v = lines.containsKey(key) ? lines.get(key) : lines.computeIfAbsent("other", k -> new double[24]);
        v[(Integer) r.getAs("hour")] += ((Number) r.getAs("failures")).doubleValue();
      }
      List<SvgChart.Series> series = new ArrayList<>();
      int i = 0;
      for (Map.Entry<String, double[]> e : lines.entrySet()) {
        series.add(new SvgChart.Series(e.getKey(), e.getValue(), SvgChart.PALETTE[i++ % SvgChart.PALETTE.length]));
      }
      sb.append(SvgChart.lines(AUTH, "hour of day (UTC)", "401/403 responses", hours(), series));
      HtmlTable t = new HtmlTable("auth-table", "auth_token_fp", "hint", "scheme", "401", "403", "clients",
          "client addresses (first 5)", "first seen", "last seen");
      for (Row r : rows) {
        t.row(token(r.getAs("auth_token_fp")), r.getAs("auth_token_hint"), r.getAs("auth_scheme"),
            r.getAs("status_401"), r.getAs("status_403"), r.getAs("clients"), r.getAs("client_ips"),
            ReportFigures.time(r.getAs("first_seen")), ReportFigures.time(r.getAs("last_seen")));
      }
      sb.append(t.html());
      sb.append("<p class=\"note\">Match a known token with <code>pcaplake fingerprint TOKEN</code> (same key).</p>");
    }
    sb.append("</section>\n");
  }

  static String endpoint(Row r) {
    Object host = r.getAs("host");
    Object path = r.getAs("path");
    return (host == null ? "" : host.toString()) + (path == null ? "" : path.toString());
  }

  private static void endpointErrors(StringBuilder sb, ReportFigures f) {
    sb.append("<section id=\"endpoint-errors\"><h2>Top endpoints by errors</h2>");
    List<Row> rows = f.rows("endpoint_errors");
    if (rows.isEmpty()) {
      none(sb, "No 4xx or 5xx responses this day.");
    } else {
      List<String> labels = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      HtmlTable t = new HtmlTable("endpoint-errors-table", "host", "path", "requests", "4xx", "5xx", "errors",
          "no response");
      for (Row r : rows) {
        labels.add(endpoint(r));
        values.add(((Number) r.getAs("errors")).doubleValue());
        t.row(r.getAs("host"), r.getAs("path"), r.getAs("requests"), r.getAs("errors_4xx"), r.getAs("errors_5xx"),
            r.getAs("errors"), r.getAs("no_response"));
      }
      sb.append(SvgChart.horizontalBars(ENDPOINT_ERRORS, "4xx + 5xx responses", labels, values, "#d62728"));
      sb.append(t.html());
    }
    sb.append("</section>\n");
  }

  private static void latency(StringBuilder sb, ReportFigures f) {
    sb.append("<section id=\"latency\"><h2>Latency percentiles per endpoint</h2>");
    List<Row> rows = f.rows("endpoint_latency");
    if (rows.isEmpty()) {
      none(sb, "No answered HTTP requests this day.");
    } else {
      List<String> labels = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      HtmlTable t = new HtmlTable("latency-table", "host", "path", "requests", "responses", "p50 ms", "p95 ms",
          "p99 ms", "max ms");
      for (Row r : rows) {
        labels.add(endpoint(r));
        values.add(((Number) r.getAs("p95_ms")).doubleValue());
        t.row(r.getAs("host"), r.getAs("path"), r.getAs("requests"), r.getAs("responses"), r.getAs("p50_ms"),
            r.getAs("p95_ms"), r.getAs("p99_ms"), r.getAs("max_ms"));
      }
      sb.append(SvgChart.horizontalBars(LATENCY, "p95 latency, ms (request sent to response's first packet)",
          labels, values, "#9467bd"));
      sb.append(t.html());
      sb.append("<p class=\"note\">The 20 endpoints (host + path) with most requests; percentiles by Spark's")
          .append(" percentile_approx (accuracy 10000).</p>");
    }
    sb.append("</section>\n");
  }

  private static void talkers(StringBuilder sb, ReportFigures f) {
    sb.append("<section id=\"talkers\"><h2>Top talkers</h2>");
    List<Row> rows = f.rows("top_talkers");
    if (rows.isEmpty()) {
      none(sb, "No client addresses this day.");
    } else {
      List<Row> byBytes = new ArrayList<>(rows);
      byBytes.sort(java.util.Comparator.comparingLong(r -> ((Number) r.getAs("rank_bytes")).longValue()));
      bars(sb, TALKERS_REQUESTS, "HTTP requests", rows, "rank_requests", "requests", "#1f77b4");
      bars(sb, TALKERS_BYTES, "TCP payload bytes, both directions", byBytes, "rank_bytes", "bytes", "#17becf");
      HtmlTable t = new HtmlTable("talkers-table", "client address", "requests", "4xx/5xx", "connections",
          "bytes sent", "bytes received", "bytes", "user agents (first 3)");
      for (Row r : rows) {
        t.row(r.getAs("client_ip"), r.getAs("requests"), r.getAs("error_responses"), r.getAs("connections"),
            r.getAs("client_bytes"), r.getAs("server_bytes"), r.getAs("bytes"), r.getAs("user_agents"));
      }
      sb.append(t.html());
    }
    sb.append("</section>\n");
  }

  private static void bars(StringBuilder sb, String title, String valueTitle, List<Row> rows, String rank,
                           String value, String color) {
    List<String> labels = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (Row r : rows) {
      if (((Number) r.getAs(rank)).longValue() <= 20) {
        labels.add(r.getAs("client_ip"));
        values.add(((Number) r.getAs(value)).doubleValue());
      }
    }
    sb.append(SvgChart.horizontalBars(title, valueTitle, labels, values, color));
  }

  private static void anomalies(StringBuilder sb, ReportFigures f) {
    sb.append("<section id=\"anomalies\"><h2>Anomalies by reason</h2>");
    List<Row> rows = f.rows("anomalies_by_reason");
    if (rows.isEmpty()) {
      none(sb, "No anomalies this day.");
    } else {
      List<String> labels = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      HtmlTable t = new HtmlTable("anomalies-table", "layer", "reason", "anomalies", "capture files", "flows",
          "first", "last");
      for (Row r : rows) {
        labels.add(r.getAs("reason"));
        values.add(((Number) r.getAs("anomalies")).doubleValue());
        t.row(r.getAs("layer"), r.getAs("reason"), r.getAs("anomalies"), r.getAs("capture_files"), r.getAs("flows"),
            ReportFigures.time(r.getAs("first_ts")), ReportFigures.time(r.getAs("last_ts")));
      }
      sb.append(SvgChart.horizontalBars(ANOMALIES, "anomalies", labels, values, "#8c564b"));
      sb.append(t.html());
      sb.append("<p class=\"note\">Reason codes: docs/anomalies.md.</p>");
    }
    sb.append("</section>\n");
  }

  private static void coverage(StringBuilder sb, ReportFigures f) {
    sb.append("<section id=\"coverage\"><h2>Capture coverage</h2>");
    List<Row> rows = f.rows("capture_coverage");
    double[] packets = new double[24];
    HtmlTable t = new HtmlTable("coverage-table", "hour (UTC)", "packets", "connections", "requests",
        "capture files");
    List<String> gaps = new ArrayList<>();
    for (Row r : rows) {
      int h = r.getAs("hour");
      packets[h] = ((Number) r.getAs("packets")).doubleValue();
      long files = ((Number) r.getAs("capture_files")).longValue();
      if (files == 0) {
        gaps.add(String.format("%02d", h));
      }
      t.row(String.format("%02d:00", h), r.getAs("packets"), r.getAs("connections"), r.getAs("requests"), files);
    }
    if (f.fromCaptures()) {
      sb.append("<p class=\"note\">From the <code>captures</code> table: a capture file covers the hours from its")
          .append(" first to its last packet. Packets, connections and requests count the connections that")
          .append(" started in the hour.</p>");
    } else {
      sb.append("<p class=\"note\">This lake has no <code>captures</code> rows for the day (written by")
          .append(" <code>pcaplake ingest</code>), so coverage is derived from the <code>flows</code> table: an")
          .append(" hour counts as covered when a connection started in it; capture files are those holding its")
          .append(" connections' packets. A quiet hour inside a capture shows as a gap.</p>");
    }
    if (!f.empty()) {
      sb.append(SvgChart.stackedBars(COVERAGE, "hour of day (UTC)", "packets", hours(),
          List.of(new SvgChart.Series("", packets, "#1f77b4"))));
      sb.append("<p>Hours without capture files: ").append(gaps.isEmpty() ? "none" : String.join(", ", gaps))
          .append(".</p>");
    }
    sb.append(t.html()).append("</section>\n");
  }

  private static void none(StringBuilder sb, String text) {
    sb.append("<p class=\"none\">").append(Html.escape(text)).append("</p>");
  }
}
