-- depends: 0000_runtime_inbox_outbox
-- The last known spot price per fiat currency: served (with its age) when CoinGecko fails.
CREATE TABLE spot_prices (
    vs_currency    text        PRIMARY KEY,
    price          numeric     NOT NULL,
    change_24h_pct numeric,
    as_of          timestamptz NOT NULL,
    fetched_at     timestamptz NOT NULL DEFAULT now()
);
