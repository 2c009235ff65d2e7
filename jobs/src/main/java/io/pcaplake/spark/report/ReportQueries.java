package io.pcaplake.spark.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every figure of the daily report, as Spark SQL over the day's views (one place for all of them; {@link ReportJob}
 * runs them, writes each result as {@code tables/<name>/} and renders report.html from the same rows). The views,
 * made by {@link ReportJob}: {@code day_http}, {@code day_flows}, {@code day_anomalies} (the lake tables restricted
 * to {@code dt = <date>}, empty with the contract's schema when the table is absent) and {@code day_captures} (the
 * {@code captures} rows whose capture time overlaps the day; no rows when the lake has none). {@code ${DAY_START}}
 * is replaced by the day's first second (epoch seconds); an hour is {@code (t - DAY_START) DIV 3600}, clamped to
 * 0..23 (a request after midnight in a connection that began that day counts in hour 23).
 */
final class ReportQueries {
  private ReportQueries() { }

  /** Hour of the day (0..23) of a timestamp column, UTC, clamped. */
  static String hour(String column) {
    return "CAST(least(23, greatest(0, (unix_seconds(" + column + ") - ${DAY_START}) DIV 3600)) AS INT)";
  }

  static final String STATUS_CLASS = "CASE WHEN status_code BETWEEN 100 AND 599"
      + " THEN concat(CAST(status_code DIV 100 AS STRING), 'xx') ELSE 'none' END";

  static final String TOTALS = """
      SELECT (SELECT count(*) FROM day_http) AS requests,
             (SELECT count(*) FROM day_http WHERE status_code >= 400) AS error_responses,
             (SELECT count(*) FROM day_http WHERE status_code IN (401, 403)) AS auth_failures,
             (SELECT count(*) FROM day_flows) AS connections,
             (SELECT coalesce(sum(client_packets + server_packets), 0) FROM day_flows) AS packets,
             (SELECT coalesce(sum(client_bytes + server_bytes), 0) FROM day_flows) AS payload_bytes,
             (SELECT count(DISTINCT client_ip) FROM day_flows) AS clients,
             (SELECT count(*) FROM day_anomalies) AS anomalies,
             (SELECT count(*) FROM day_captures) AS capture_files,
             (SELECT min(start_ts) FROM day_flows) AS first_ts,
             (SELECT max(end_ts) FROM day_flows) AS last_ts
      """;

  static final String REQUESTS_BY_HOUR = "SELECT " + hour("request_ts") + " AS hour, " + STATUS_CLASS
      + " AS status_class, count(*) AS requests FROM day_http WHERE request_ts IS NOT NULL"
      + " GROUP BY 1, 2 ORDER BY 1, 2";

  static final String AUTH_FAILURES = """
      SELECT auth_token_fp, max(auth_token_hint) AS auth_token_hint, max(auth_scheme) AS auth_scheme,
             sum(CASE WHEN status_code = 401 THEN 1 ELSE 0 END) AS status_401,
             sum(CASE WHEN status_code = 403 THEN 1 ELSE 0 END) AS status_403,
             count(*) AS failures,
             count(DISTINCT client_ip) AS clients,
             concat_ws(' ', slice(array_sort(collect_set(client_ip)), 1, 5)) AS client_ips,
             min(request_ts) AS first_seen, max(request_ts) AS last_seen
        FROM day_http WHERE status_code IN (401, 403)
       GROUP BY auth_token_fp
       ORDER BY failures DESC, auth_token_fp NULLS LAST
       LIMIT 50
      """;

  static final String AUTH_FAILURES_BY_HOUR = "SELECT " + hour("request_ts") + " AS hour, auth_token_fp,"
      + " count(*) AS failures FROM day_http WHERE status_code IN (401, 403) AND request_ts IS NOT NULL"
      + " GROUP BY 1, 2 ORDER BY 1, 2 NULLS LAST";

  static final String ENDPOINT_ERRORS = """
      SELECT host, path, requests, errors_4xx, errors_5xx, errors_4xx + errors_5xx AS errors, no_response
        FROM (SELECT host, path, count(*) AS requests,
                     sum(CASE WHEN status_code BETWEEN 400 AND 499 THEN 1 ELSE 0 END) AS errors_4xx,
                     sum(CASE WHEN status_code BETWEEN 500 AND 599 THEN 1 ELSE 0 END) AS errors_5xx,
                     sum(CASE WHEN status_code IS NULL THEN 1 ELSE 0 END) AS no_response
                FROM day_http GROUP BY host, path)
       WHERE errors_4xx + errors_5xx > 0
       ORDER BY errors DESC, requests DESC, host NULLS LAST, path NULLS LAST
       LIMIT 20
      """;

  static final String ENDPOINT_LATENCY = """
      SELECT host, path, requests, responses, p[0] AS p50_ms, p[1] AS p95_ms, p[2] AS p99_ms, max_ms
        FROM (SELECT host, path, count(*) AS requests, count(latency_ms) AS responses,
                     percentile_approx(latency_ms, array(0.5, 0.95, 0.99), 10000) AS p,
                     max(latency_ms) AS max_ms
                FROM day_http GROUP BY host, path)
       WHERE responses > 0
       ORDER BY requests DESC, host NULLS LAST, path NULLS LAST
       LIMIT 20
      """;

  static final String TOP_TALKERS = """
      WITH h AS (SELECT client_ip, count(*) AS requests,
                        sum(CASE WHEN status_code >= 400 THEN 1 ELSE 0 END) AS error_responses,
                        concat_ws(' | ', slice(array_sort(collect_set(user_agent)), 1, 3)) AS user_agents
                   FROM day_http GROUP BY client_ip),
           f AS (SELECT client_ip, count(*) AS connections, sum(client_bytes) AS client_bytes,
                        sum(server_bytes) AS server_bytes
                   FROM day_flows GROUP BY client_ip),
           j AS (SELECT coalesce(f.client_ip, h.client_ip) AS client_ip, coalesce(h.requests, 0) AS requests,
                        coalesce(h.error_responses, 0) AS error_responses, coalesce(h.user_agents, '') AS user_agents,
                        coalesce(f.connections, 0) AS connections, coalesce(f.client_bytes, 0) AS client_bytes,
                        coalesce(f.server_bytes, 0) AS server_bytes,
                        coalesce(f.client_bytes + f.server_bytes, 0) AS bytes
                   FROM f FULL OUTER JOIN h ON f.client_ip = h.client_ip),
           r AS (SELECT *, row_number() OVER (ORDER BY requests DESC, bytes DESC, client_ip) AS rank_requests,
                        row_number() OVER (ORDER BY bytes DESC, requests DESC, client_ip) AS rank_bytes
                   FROM j)
      SELECT * FROM r WHERE rank_requests <= 20 OR rank_bytes <= 20 ORDER BY rank_requests
      """;

  static final String ANOMALIES_BY_REASON = """
      SELECT layer, reason, count(*) AS anomalies, count(DISTINCT capture_file) AS capture_files,
             count(DISTINCT flow_id) AS flows, min(ts) AS first_ts, max(ts) AS last_ts
        FROM day_anomalies GROUP BY layer, reason ORDER BY anomalies DESC, layer, reason
      """;

  /**
   * Per hour: what the captures covered. {@code capture_files}: files of the {@code captures} table whose
   * [first_ts, last_ts] overlaps the hour when the lake has one, else the distinct capture files of the
   * connections that started in the hour ({@code source} says which).
   */
  static final String CAPTURE_COVERAGE = """
      WITH hours AS (SELECT explode(sequence(0, 23)) AS hour),
           f AS (SELECT %1$s AS hour, count(*) AS connections, sum(client_packets + server_packets) AS packets,
                        count(DISTINCT file) AS flow_files
                   FROM day_flows LATERAL VIEW OUTER explode(capture_files) e AS file GROUP BY 1),
           h AS (SELECT %2$s AS hour, count(*) AS requests FROM day_http WHERE request_ts IS NOT NULL GROUP BY 1),
           c AS (SELECT hour, count(DISTINCT capture_file) AS files
                   FROM (SELECT capture_file, explode(sequence(%3$s, %4$s)) AS hour FROM day_captures)
                  GROUP BY hour),
           n AS (SELECT count(*) AS ingested FROM day_captures)
      SELECT hours.hour, coalesce(f.packets, 0) AS packets, coalesce(f.connections, 0) AS connections,
             coalesce(h.requests, 0) AS requests,
             CASE WHEN n.ingested > 0 THEN coalesce(c.files, 0) ELSE coalesce(f.flow_files, 0) END AS capture_files,
             CASE WHEN n.ingested > 0 THEN 'captures' ELSE 'flows' END AS source
        FROM hours CROSS JOIN n LEFT JOIN f ON f.hour = hours.hour LEFT JOIN h ON h.hour = hours.hour
        LEFT JOIN c ON c.hour = hours.hour
       ORDER BY hours.hour
      """.formatted(hour("start_ts"), hour("request_ts"), hour("first_ts"), hour("last_ts"));

  /** Table name to query, in the order the page shows them. */
  static Map<String, String> all() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("totals", TOTALS);
    m.put("requests_by_hour", REQUESTS_BY_HOUR);
    m.put("auth_failures", AUTH_FAILURES);
    m.put("auth_failures_by_hour", AUTH_FAILURES_BY_HOUR);
    m.put("endpoint_errors", ENDPOINT_ERRORS);
    m.put("endpoint_latency", ENDPOINT_LATENCY);
    m.put("top_talkers", TOP_TALKERS);
    m.put("anomalies_by_reason", ANOMALIES_BY_REASON);
    m.put("capture_coverage", CAPTURE_COVERAGE);
    return m;
  }

  /** The query with the day's start (epoch seconds) filled in. */
  static String forDay(String sql, long dayStartEpochSecond) {
    return sql.replace("${DAY_START}", Long.toString(dayStartEpochSecond));
  }
}
