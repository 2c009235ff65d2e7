-- # New user agents and tokens since yesterday
--
-- User agents and credentials (token fingerprints) seen on `day` that were not seen the day before: a new client
-- release, a rotated key, or someone else's tool. Days are the `dt` partitions (UTC date of each connection's
-- first packet), so only two partitions are read.
--
-- @param day date = 2024-03-13 | the day to inspect (its previous day is the baseline)

-- ## New user agents
SELECT t.user_agent, count(*) AS requests, concat_ws(', ', sort_array(collect_set(t.client_ip))) AS clients,
       min(t.request_ts) AS first_seen
  FROM http t
  LEFT ANTI JOIN (SELECT DISTINCT user_agent FROM http WHERE dt = date_format(date_sub(${day}, 1), 'yyyy-MM-dd')) y
    ON t.user_agent <=> y.user_agent
 WHERE t.dt = date_format(${day}, 'yyyy-MM-dd')
 GROUP BY t.user_agent
 ORDER BY first_seen;

-- ## New tokens
SELECT t.auth_token_fp, t.auth_token_hint, t.auth_scheme, count(*) AS requests,
       concat_ws(', ', sort_array(collect_set(t.client_ip))) AS clients, min(t.request_ts) AS first_seen
  FROM http t
  LEFT ANTI JOIN (SELECT DISTINCT auth_token_fp FROM http WHERE dt = date_format(date_sub(${day}, 1), 'yyyy-MM-dd')
                     AND auth_token_fp IS NOT NULL) y
    ON t.auth_token_fp = y.auth_token_fp
 WHERE t.dt = date_format(${day}, 'yyyy-MM-dd') AND t.auth_token_fp IS NOT NULL
 GROUP BY t.auth_token_fp, t.auth_token_hint, t.auth_scheme
 ORDER BY first_seen;
