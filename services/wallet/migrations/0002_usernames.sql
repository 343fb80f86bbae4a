-- depends: 0001_wallets
-- The owner's Telegram @username, refreshed from every command they send, so that transfer can
-- resolve "/send 5 @bob" through wallet (ResolveUser). Usernames are case-insensitive in Telegram.
ALTER TABLE wallets ADD COLUMN username text;
CREATE INDEX wallets_username ON wallets (lower(username));
