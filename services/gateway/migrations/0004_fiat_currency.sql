-- depends: 0001_gateway
-- Each user's settings: for now the fiat currency prices and fiat equivalents are shown in
-- (USD until the user picks another on /prices; a later /settings edits the same row).
CREATE TABLE user_settings (
    telegram_id   bigint      PRIMARY KEY,
    fiat_currency text        NOT NULL DEFAULT 'usd' CHECK (fiat_currency ~ '^[a-z]{3}$'),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- The latest XRP price per fiat currency, from pricing's `pricing.spot_refreshed` events: the
-- gateway shows fiat equivalents (/balance) from here and never waits for pricing.
CREATE TABLE fiat_rates (
    vs_currency    text        PRIMARY KEY,
    price          numeric     NOT NULL CHECK (price > 0),
    as_of          timestamptz NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now()
);
