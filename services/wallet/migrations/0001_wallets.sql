-- depends: 0000_runtime_inbox_outbox
-- One custodial XRPL account per Telegram user. The seed is stored only encrypted (Fernet).
CREATE TABLE wallets (
    telegram_id    bigint      PRIMARY KEY,
    address        text        NOT NULL UNIQUE,
    public_key     text        NOT NULL,
    encrypted_seed text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    funded_at      timestamptz
);
