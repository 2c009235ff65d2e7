-- # 401s by token fingerprint
--
-- Which credentials did the API reject, since when, from which clients? Tokens are in the lake only as keyed
-- fingerprints (`auth_token_fp`) and their last 4 characters (`auth_token_hint`): match a known token with
-- `pcaplake fingerprint TOKEN` (same key, same value), or use `token-clients.sql` with that fingerprint.
--
-- @param status int = 401 | the status code to count (401 Unauthorized; 403 for Forbidden)

-- ## Per token
--
-- One row per fingerprint: rejected requests, how many clients sent it, first and last rejection.
SELECT auth_token_fp, auth_token_hint, auth_scheme, count(*) AS requests,
       count(DISTINCT client_ip) AS clients, min(request_ts) AS first_seen, max(request_ts) AS last_seen
  FROM http
 WHERE status_code = ${status}
 GROUP BY auth_token_fp, auth_token_hint, auth_scheme
 ORDER BY requests DESC, auth_token_fp;

-- ## Per hour
--
-- Rejections per token per hour (UTC): a token that keeps failing after its revocation shows in every hour since.
SELECT date_trunc('HOUR', request_ts) AS hour, auth_token_fp, count(*) AS requests
  FROM http
 WHERE status_code = ${status}
 GROUP BY 1, 2
 ORDER BY hour, requests DESC, auth_token_fp;

-- ## Per client
--
-- Who sends the rejected tokens, with which user agent.
SELECT client_ip, auth_token_fp, user_agent, count(*) AS requests, min(request_ts) AS first_seen,
       max(request_ts) AS last_seen
  FROM http
 WHERE status_code = ${status}
 GROUP BY client_ip, auth_token_fp, user_agent
 ORDER BY requests DESC, client_ip;
