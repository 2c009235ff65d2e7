-- # Which clients still use a token
--
-- After a key is revoked or rotated: who still sends it, are they rejected, and when did they last try? Get the
-- token's fingerprint with `pcaplake fingerprint TOKEN` (or `pcaplake fingerprint < keys.txt` for many) and pass
-- it as `--param token_fp=...`. The default is the sample's revoked token.
--
-- @param token_fp string = 42c407e88f7f719f4d5b95ccca626457 | auth_token_fp of the token (pcaplake fingerprint TOKEN)
-- @param since timestamp = 2024-03-12T10:00:00Z | count requests at or after this time (e.g. the revocation)

-- ## Clients using the token since the given time
SELECT client_ip, user_agent, count(*) AS requests, count_if(status_code = 401) AS rejected,
       count_if(status_code < 400) AS accepted, min(request_ts) AS first_seen, max(request_ts) AS last_seen
  FROM http
 WHERE auth_token_fp = ${token_fp} AND request_ts >= ${since}
 GROUP BY client_ip, user_agent
 ORDER BY last_seen DESC, client_ip;

-- ## Day by day, whole lake
--
-- Every use of the token per day and client, with the status codes it got.
SELECT dt, client_ip, count(*) AS requests,
       concat_ws(', ', sort_array(collect_set(CAST(status_code AS STRING)))) AS statuses
  FROM http
 WHERE auth_token_fp = ${token_fp}
 GROUP BY dt, client_ip
 ORDER BY dt, client_ip;
