-- # A request by its X-Request-Id
--
-- Everything the capture holds about one request named in an application log or a customer report: the exchange,
-- its headers (credentials as `fp:` fingerprints), its TCP connection and the problems found on it. The default
-- is the sample's export request, whose response the capture missed a segment of.
--
-- @param request_id string = 48ea29cc-20ef-3702-b79b-30c3187b6365 | the X-Request-Id header value

-- ## The exchange
SELECT request_ts, client_ip, client_port, method, uri, status_code, latency_ms, response_body_bytes,
       response_complete, gap_bytes, user_agent, auth_token_fp, flow_id, exchange_index
  FROM http
 WHERE x_request_id = ${request_id};

-- ## Its headers
SELECT request_headers, response_headers
  FROM http
 WHERE x_request_id = ${request_id};

-- ## Its connection
SELECT flow_id, community_id, start_ts, end_ts, conn_state, history, http_exchanges, client_bytes, server_bytes,
       missing_bytes, rst_seen
  FROM flows
 WHERE flow_id IN (SELECT flow_id FROM http WHERE x_request_id = ${request_id});

-- ## Problems on its connection
SELECT ts, layer, reason, detail
  FROM anomalies
 WHERE flow_id IN (SELECT flow_id FROM http WHERE x_request_id = ${request_id})
 ORDER BY ts, reason;
