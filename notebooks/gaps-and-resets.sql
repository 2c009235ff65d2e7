-- # Connections with gaps or resets
--
-- TCP connections the capture missed bytes of (`missing_bytes`: a dropped packet, a capture that started or
-- stopped mid-connection) or that an endpoint aborted (`rst_seen`), with the anomalies recorded on each (reason
-- codes: `docs/anomalies.md`). Evidence from such connections is incomplete: check `gap_bytes` and
-- `response_complete` in `http` before relying on their bodies.
--
-- @param min_missing_bytes int = 1 | list connections missing at least this many bytes

-- ## The connections
SELECT f.flow_id, f.start_ts, f.client_ip, f.client_port, f.server_ip, f.server_port, f.conn_state, f.history,
       f.missing_bytes, f.rst_seen, f.http_exchanges, count(a.reason) AS anomalies,
       concat_ws(', ', sort_array(collect_set(a.reason))) AS reasons
  FROM flows f LEFT JOIN anomalies a ON a.flow_id = f.flow_id
 WHERE f.missing_bytes >= ${min_missing_bytes} OR f.rst_seen
 GROUP BY f.flow_id, f.start_ts, f.client_ip, f.client_port, f.server_ip, f.server_port, f.conn_state, f.history,
          f.missing_bytes, f.rst_seen, f.http_exchanges
 ORDER BY f.start_ts, f.flow_id;

-- ## Their HTTP exchanges
SELECT h.request_ts, h.client_ip, h.method, h.uri, h.status_code, h.response_complete, h.gap_bytes, h.x_request_id
  FROM http h JOIN flows f ON h.flow_id = f.flow_id
 WHERE f.missing_bytes >= ${min_missing_bytes} OR f.rst_seen
 ORDER BY h.request_ts, h.exchange_index;

-- ## Anomalies by reason, whole lake
SELECT layer, reason, count(*) AS n, count(DISTINCT flow_id) AS connections, min(ts) AS first_seen
  FROM anomalies
 GROUP BY layer, reason
 ORDER BY n DESC, reason;
