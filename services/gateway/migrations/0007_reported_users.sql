-- depends: 0005_settings_throttle_admin 0006_outbound
-- The (username, first name) the gateway last reported for each Telegram user (UserSeen,
-- `gateway.user_seen`), and when: an update reports its user only when the pair changed or
-- the last report is a day old, not on every update.
CREATE TABLE reported_users (
    telegram_id bigint      PRIMARY KEY,
    username    text,
    first_name  text        NOT NULL,
    reported_at timestamptz NOT NULL DEFAULT now()
);
