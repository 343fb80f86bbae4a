-- depends: 0003_signing_bounds
-- The Telegram users the gateway saw (UserSeen events, `gateway.user_seen`) and the @username
-- each had then. A username belongs to at most one user: the one seen with it last takes it and
-- the former holder's username is cleared, so "/send 5 @bob" never goes to someone who gave
-- "bob" up. Usernames are case-insensitive in Telegram. `username_seen_at` is when the user was
-- last seen with that username; a quote warns when it is long ago.
CREATE TABLE telegram_users (
    telegram_id      bigint      PRIMARY KEY,
    username         text,
    first_name       text        NOT NULL DEFAULT '',
    username_seen_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX telegram_users_username ON telegram_users (lower(username));

-- The usernames wallets kept so far (refreshed on /wallet and /balance only): the newest wallet
-- per username keeps it, seen when that wallet was created (the only time known for sure; a
-- user's next update refreshes it).
INSERT INTO telegram_users (telegram_id, username, username_seen_at)
SELECT DISTINCT ON (lower(username)) telegram_id, username, created_at
FROM wallets WHERE username IS NOT NULL
ORDER BY lower(username), created_at DESC;

DROP INDEX wallets_username;
ALTER TABLE wallets DROP COLUMN username;
