-- depends: 0004_fiat_currency
-- Issue 5, points 6 and 7: outbound pacing shared by every gateway replica, inactive chats,
-- and the updates the webhook accepted (processed after its 200).

-- Telegram's send limits as sliding windows, one row per key: 'global', 'chat:<id>',
-- 'group:<id>' (outbound/limits.py). `sent_at` holds the latest sends (epoch seconds on the
-- database clock, at most the rule's limit of them); `blocked_until` honours a 429's
-- retry_after. Rows are tiny and few (one per chat that got messages); idle ones are pruned.
CREATE TABLE send_windows (
    key           text               PRIMARY KEY,
    sent_at       double precision[] NOT NULL DEFAULT '{}',
    blocked_until double precision   NOT NULL DEFAULT 0
);

-- A chat whose user blocked the bot (or was deactivated): Telegram answered 403, and the
-- outbound middleware sets active = false; the next update from the chat sets it back (see_chat).
-- The same column as 0005's (IF NOT EXISTS: either migration may run first).
ALTER TABLE chats ADD COLUMN IF NOT EXISTS active boolean NOT NULL DEFAULT true;

-- Updates the webhook accepted: written (one INSERT) before it answers 200, processed after
-- by a worker in every replica (leases, so a replica that dies mid-update loses nothing).
-- A repeated update_id hits the primary key and changes nothing. Rows are kept two days after
-- processing (like processed_updates), then pruned.
CREATE TABLE webhook_updates (
    update_id    bigint      PRIMARY KEY,
    body         jsonb       NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    attempts     integer     NOT NULL DEFAULT 0,
    leased_until timestamptz NOT NULL DEFAULT '-infinity',
    last_error   text,
    done_at      timestamptz
);
CREATE INDEX webhook_updates_todo ON webhook_updates (update_id) WHERE done_at IS NULL;
CREATE INDEX webhook_updates_done_at ON webhook_updates (done_at) WHERE done_at IS NOT NULL;
