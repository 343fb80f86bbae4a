-- depends: 0000_runtime_inbox_outbox
-- Addresses held by the wallet service, learnt from its wallet.opened events: the incoming-payment
-- watcher will look for payments to these.
CREATE TABLE custodial_accounts (
    address     text        PRIMARY KEY,
    telegram_id bigint      NOT NULL,
    username    text,
    opened_at   timestamptz NOT NULL
);
CREATE INDEX custodial_accounts_telegram_id ON custodial_accounts (telegram_id);
