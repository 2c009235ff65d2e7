-- # Slowest endpoints
--
-- Response latency (`latency_ms`: request's first byte to response's first byte, as captured) per endpoint. Path
-- segments holding digits (`/api/accounts/acc_1042`) are folded into `{id}` so one endpoint is one row.
--
-- @param min_requests int = 5 | ignore endpoints with fewer requests
-- @param top int = 20 | how many endpoints to show

-- ## Latency percentiles per endpoint
SELECT method, regexp_replace(path, '/[^/]*[0-9][^/]*', '/{id}') AS endpoint, count(*) AS requests,
       percentile_approx(latency_ms, 0.5) AS p50_ms, percentile_approx(latency_ms, 0.95) AS p95_ms,
       percentile_approx(latency_ms, 0.99) AS p99_ms, max(latency_ms) AS max_ms
  FROM http
 WHERE latency_ms IS NOT NULL
 GROUP BY 1, 2
HAVING count(*) >= ${min_requests}
 ORDER BY p95_ms DESC, endpoint
 LIMIT ${top};

-- ## The slowest single requests
SELECT request_ts, client_ip, method, uri, status_code, latency_ms, response_body_bytes, x_request_id
  FROM http
 WHERE latency_ms IS NOT NULL
 ORDER BY latency_ms DESC, request_ts
 LIMIT ${top};
