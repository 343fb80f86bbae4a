-- depends: 0001_spot_prices
-- The market-data cache shared by every pricing replica: one row per key ("spot",
-- "history:<currency>:<days>"). A refresh is claimed by moving next_fetch_at to the end of a
-- lease with refresh_token set, atomically (INSERT ... ON CONFLICT DO UPDATE ... WHERE
-- next_fetch_at <= now()), so concurrent requests make at most one upstream call per key
-- per TTL. The payload stays after a failed fetch: it is the last known data served stale.
CREATE TABLE market_cache (
    key           text        PRIMARY KEY,
    payload       jsonb,
    fetched_at    timestamptz,
    fresh_until   timestamptz NOT NULL DEFAULT 'epoch',
    next_fetch_at timestamptz NOT NULL DEFAULT 'epoch',
    refresh_token uuid,
    last_error    text,
    failed_at     timestamptz
);

-- keep the last known spot prices across the upgrade, as a stale "spot" entry
INSERT INTO market_cache (key, payload, fetched_at)
SELECT 'spot',
       jsonb_build_object('prices', jsonb_object_agg(vs_currency, jsonb_build_object(
           'price', price::text,
           'change_24h_pct', change_24h_pct::text,
           'as_of', to_char(as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')))),
       max(fetched_at)
FROM spot_prices
HAVING count(*) > 0;

DROP TABLE spot_prices;
