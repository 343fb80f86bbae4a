-- depends: 0004_fiat_currency
-- Issue 5: /settings, per-user command throttling, chats a broadcast may reach, /receive and
-- /stats reply views, admin alerts and broadcasts.

-- /settings: the language the user chose (NULL: follow Telegram's language_code; the
-- translations make it take effect) and whether "You received …" alerts are sent.
ALTER TABLE user_settings
    ADD COLUMN language      text    CHECK (language IN ('en', 'es', 'ru')),
    ADD COLUMN notifications boolean NOT NULL DEFAULT true;

-- A chat the bot can no longer write to (the user blocked it: 403) is marked inactive;
-- broadcasts skip it. Any new update from the chat makes it active again.
ALTER TABLE chats ADD COLUMN IF NOT EXISTS active boolean NOT NULL DEFAULT true;

-- Per-user token bucket (burst `capacity`, refilled at `rate` per second), updated in each
-- update's own transaction; the row lock makes it hold across gateway replicas.
-- verdict: 'allow' (the last command passed), 'notice' (it was throttled and got the polite
-- notice), 'drop' (throttled again in the same burst: no answer).
CREATE TABLE command_throttle (
    telegram_id bigint           PRIMARY KEY,
    tokens      double precision NOT NULL,
    refilled_at timestamptz      NOT NULL,
    verdict     text             NOT NULL CHECK (verdict IN ('allow', 'notice', 'drop'))
);
CREATE INDEX command_throttle_refilled_at ON command_throttle (refilled_at);

-- What a reply is shown as besides its default: /receive asks GetBalance and shows the
-- address with a QR code ('receive', args {amount_drops}); /stats adds the gateway's numbers
-- ('stats', args {users, ...}). Written with the command, read when the reply arrives.
CREATE TABLE reply_views (
    correlation_id uuid        PRIMARY KEY,
    view           text        NOT NULL,
    args           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reply_views_created_at ON reply_views (created_at);

-- Alerts to admins, at most one per kind per period: what happened since the last one.
CREATE TABLE admin_alerts (
    kind         text        PRIMARY KEY,
    pending      integer     NOT NULL DEFAULT 0,
    details      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    last_sent_at timestamptz
);

-- /broadcast: one row per broadcast; workers send to active private chats in chat_id order,
-- `cursor` being the last chat done, so a restart resumes where it stopped.
CREATE TABLE broadcasts (
    id          uuid        PRIMARY KEY,
    created_by  bigint      NOT NULL,
    text        text        NOT NULL,
    state       text        NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'done')),
    cursor      bigint      NOT NULL DEFAULT 0,
    sent        integer     NOT NULL DEFAULT 0,
    unreachable integer     NOT NULL DEFAULT 0,  -- 403 or chat gone while sending
    last_sent_at timestamptz,                     -- paces every replica together
    created_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
