-- depends: 0001_custodial_accounts
-- Every /send: quoted, refused, cancelled, or confirmed and on its way to a final state. The
-- signed blob, hash, Sequence and LastLedgerSequence are stored before the first submit
-- (https://xrpl.org/docs/concepts/transactions/reliable-transaction-submission).
CREATE TABLE transfers (
    id                    uuid        PRIMARY KEY,
    telegram_id           bigint      NOT NULL,
    chat_id               bigint      NOT NULL,
    state                 text        NOT NULL,
    code                  text,                     -- refusal or failure code (ErrorCode)
    sender_address        text,
    destination_address   text,
    destination_tag       bigint,
    destination_user_id   bigint,                   -- Telegram id when the destination is a bot user
    destination_username  text,
    amount_drops          bigint,
    fee_drops             bigint,
    created_at            timestamptz NOT NULL DEFAULT now(),
    expires_at            timestamptz,              -- the quote's deadline
    confirmed_at          timestamptz,
    reply_to              jsonb,                    -- correlation_id, user, chat_id of the Confirm
    sequence              bigint,
    last_ledger_sequence  bigint,
    signed_ledger_index   bigint,                   -- validated ledger when signed (tx search range)
    tx_blob               text,
    tx_hash               text        UNIQUE,
    submit_result         text,                     -- provisional: the last submit's engine_result
    submitted_at          timestamptz,
    result                text,                     -- final TransactionResult
    ledger_index          bigint,
    delivered_drops       bigint,
    finished_at           timestamptz,
    CHECK (state IN ('refused', 'quoted', 'cancelled', 'quote_expired', 'confirmed', 'signed',
                     'submitted', 'validated', 'failed', 'expired'))
);
CREATE INDEX transfers_unfinished ON transfers (sender_address, state)
    WHERE state IN ('confirmed', 'signed', 'submitted');
CREATE INDEX transfers_history ON transfers (telegram_id, confirmed_at DESC)
    WHERE confirmed_at IS NOT NULL;

-- Earlier blobs of a transfer that can never be included any more (their Sequence was taken by
-- another transaction), kept for audit; the transfer was prepared again.
CREATE TABLE transfer_attempts (
    tx_hash      text        PRIMARY KEY,
    transfer_id  uuid        NOT NULL REFERENCES transfers (id),
    sequence     bigint      NOT NULL,
    reason       text        NOT NULL,
    abandoned_at timestamptz NOT NULL DEFAULT now()
);

-- XRP that reached a custodial address, once per transaction hash (meta.delivered_amount).
CREATE TABLE incoming_payments (
    tx_hash         text        PRIMARY KEY,
    telegram_id     bigint      NOT NULL,
    destination     text        NOT NULL,
    source          text        NOT NULL,
    delivered_drops bigint      NOT NULL,
    destination_tag bigint,
    ledger_index    bigint      NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incoming_payments_history ON incoming_payments (telegram_id, recorded_at DESC);

-- The incoming-payment watcher's place: the last validated ledger it has read in full.
CREATE TABLE ledger_cursor (
    id           boolean     PRIMARY KEY DEFAULT true CHECK (id),
    ledger_index bigint      NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
