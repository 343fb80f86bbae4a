-- depends: 0007_reported_users
-- The bot's outgoing messages: every message an update or a reply decides is written here in
-- that transaction and shown after the commit by the outgoing sender of any replica
-- (entrypoints/outgoing.py), so waiting for Telegram's limits never holds an update.

-- One row per bot message, the "slot" a placeholder names. `body` is what the message should
-- show (render.message.rendered_to_json), `version` counts the bodies written, `shown_version`
-- the one Telegram shows (a row is due while version > shown_version). `message_id` is
-- Telegram's id once sent, or the pressed message a handler adopted. `leased_by` names the
-- leasing sender (outgoing_senders): a lease whose sender stopped beating (its replica died) is
-- free before `leased_until`. `dropped` says why a
-- row will never be shown (the chat is gone, Telegram refused it for good).
CREATE TABLE chat_messages (
    id            bigserial   PRIMARY KEY,
    chat_id       bigint      NOT NULL,
    message_id    bigint,
    body          jsonb,
    version       integer     NOT NULL DEFAULT 0,
    shown_version integer     NOT NULL DEFAULT 0,
    not_before    timestamptz NOT NULL DEFAULT now(),
    leased_until  timestamptz NOT NULL DEFAULT '-infinity',
    leased_by     text,
    attempts      integer     NOT NULL DEFAULT 0,
    dropped       text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (chat_id, message_id)
);
-- the due rows, a chat's oldest first (the sender takes each chat's oldest due row)
CREATE INDEX chat_messages_due ON chat_messages (chat_id, id)
    WHERE version > shown_version AND dropped IS NULL;
CREATE INDEX chat_messages_updated_at ON chat_messages (updated_at);

-- Each outgoing sender's heartbeat (one per gateway process, named at its start), written with
-- each of its claims; a sender not seen for 20 s is gone and its leases are free. Old rows are
-- pruned.
CREATE TABLE outgoing_senders (
    holder  text        PRIMARY KEY,
    seen_at timestamptz NOT NULL DEFAULT now()
);

-- A reply's placeholder is a queued message (its slot) or a message Telegram showed us.
ALTER TABLE pending_replies ADD COLUMN slot_id bigint;
ALTER TABLE pending_replies ALTER COLUMN message_id DROP NOT NULL;
