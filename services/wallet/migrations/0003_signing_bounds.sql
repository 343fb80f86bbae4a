-- depends: 0002_usernames
-- Wallet bounds what it signs, whoever asks. Each transfer it signed counts once toward its
-- owner's rolling 24-hour outgoing limit; each signing request's nonce is remembered so that a
-- replayed request is refused. A user may lower (never raise) their own daily limit.
CREATE TABLE signed_payments (
    transfer_key   text        PRIMARY KEY,  -- transfer id, or the tx hash without one
    telegram_id    bigint      NOT NULL REFERENCES wallets (telegram_id),
    amount_drops   bigint      NOT NULL CHECK (amount_drops > 0),
    signed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signed_payments_by_user ON signed_payments (telegram_id, signed_at);

CREATE TABLE request_nonces (
    nonce   text        PRIMARY KEY,
    seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX request_nonces_seen_at ON request_nonces (seen_at);

ALTER TABLE wallets ADD COLUMN daily_limit_drops bigint CHECK (daily_limit_drops >= 0);
