-- depends: 0000_runtime_inbox_outbox
-- Telegram updates already processed: a re-sent update_id changes nothing
-- (https://core.telegram.org/bots/api#getting-updates). The claim commits in the same
-- transaction as the command's outbox row. Rows older than two days are pruned.
CREATE TABLE processed_updates (
    update_id    bigint      PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX processed_updates_processed_at ON processed_updates (processed_at);

-- The "working on it…" message each command's reply will replace, by correlation_id.
CREATE TABLE pending_replies (
    correlation_id uuid        PRIMARY KEY,
    chat_id        bigint      NOT NULL,
    message_id     bigint      NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pending_replies_created_at ON pending_replies (created_at);

-- Chats the bot has talked in; preferences (language) are added by a later migration.
CREATE TABLE chats (
    chat_id       bigint      PRIMARY KEY,
    language_code text,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now()
);
