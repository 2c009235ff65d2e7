-- # Everything one client did in a time window
--
-- The connections and requests of one client IP between two instants (UTC; give `from`/`to` as ISO-8601 with a
-- zone, e.g. `2024-03-12T09:45:00Z`). The default window straddles the revocation of the sample's offending
-- client's token at 10:00.
--
-- @param client_ip string = 10.0.3.7 | the client address
-- @param from timestamp = 2024-03-12T09:45:00Z | window start (inclusive)
-- @param to timestamp = 2024-03-12T10:15:00Z | window end (exclusive)

-- ## Summary
SELECT count(*) AS requests, count(DISTINCT flow_id) AS connections, count_if(status_code < 400) AS ok,
       count_if(status_code = 401) AS unauthorized, min(request_ts) AS first_request, max(request_ts) AS last_request
  FROM http
 WHERE client_ip = ${client_ip} AND request_ts >= ${from} AND request_ts < ${to};

-- ## Connections
--
-- Connections open at any time in the window, with the anomalies found on each.
SELECT f.flow_id, f.start_ts, f.end_ts, f.server_ip, f.server_port, f.conn_state, f.client_bytes, f.server_bytes,
       f.http_exchanges, count(a.reason) AS anomalies
  FROM flows f LEFT JOIN anomalies a ON a.flow_id = f.flow_id
 WHERE f.client_ip = ${client_ip} AND f.start_ts < ${to} AND f.end_ts >= ${from}
 GROUP BY f.flow_id, f.start_ts, f.end_ts, f.server_ip, f.server_port, f.conn_state, f.client_bytes, f.server_bytes,
          f.http_exchanges
 ORDER BY f.start_ts, f.flow_id;

-- ## Requests
SELECT request_ts, server_ip, server_port, method, uri, status_code, latency_ms, auth_token_fp, x_request_id
  FROM http
 WHERE client_ip = ${client_ip} AND request_ts >= ${from} AND request_ts < ${to}
 ORDER BY request_ts, exchange_index;
