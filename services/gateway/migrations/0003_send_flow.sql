-- depends: 0001_gateway
-- aiogram FSM state per conversation (the /send step-by-step flow), so a flow survives a
-- gateway restart. `key` is aiogram's DefaultKeyBuilder key ("fsm:<bot>:<chat>:<user>:default").
-- Written in the same transaction as the update's claim, so a retried update sees the state
-- its first attempt left only if that attempt committed.
CREATE TABLE fsm_states (
    key        text        PRIMARY KEY,
    state      text,
    data       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The first Confirm or Cancel press on a quote (by its owner) takes over the quote's message:
-- that press edits it ("Sending…") and its replies keep editing it. Later presses (a double
-- tap, a press at the same instant) still reach the transfer service, which refuses them, and
-- their answers arrive as new messages, so they never overwrite the payment's progress.
CREATE TABLE quote_presses (
    transfer_id    uuid        PRIMARY KEY,
    correlation_id uuid        NOT NULL,
    pressed_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quote_presses_pressed_at ON quote_presses (pressed_at);
