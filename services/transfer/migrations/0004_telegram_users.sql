-- depends: 0003_one_sequence_per_prepared_transfer
-- The @username each Telegram user holds now, so incoming-payment alerts and /history name bot
-- users as they are called today (gateway.user_seen and wallet.opened, domain/usernames.py). A
-- username belongs to at most one user: the one seen with it last takes it and the former
-- holder's is cleared. Usernames are case-insensitive in Telegram.
CREATE TABLE telegram_users (
    telegram_id      bigint      PRIMARY KEY,
    username         text,
    username_seen_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX telegram_users_username ON telegram_users (lower(username));

-- What transfer knew so far: the username each user had when their newest account opened; of
-- two users with one name, the one whose account opened last keeps it.
INSERT INTO telegram_users (telegram_id, username, username_seen_at)
SELECT DISTINCT ON (lower(username)) telegram_id, username, opened_at
FROM (
    SELECT DISTINCT ON (telegram_id) telegram_id, username, opened_at
    FROM custodial_accounts ORDER BY telegram_id, opened_at DESC
) AS newest
WHERE username IS NOT NULL
ORDER BY lower(username), opened_at DESC;

-- custodial_accounts.username is no longer read nor written; it stays (nullable) so that
-- replicas of the previous version keep working during a rolling upgrade.
COMMENT ON COLUMN custodial_accounts.username IS 'unused: see telegram_users';
