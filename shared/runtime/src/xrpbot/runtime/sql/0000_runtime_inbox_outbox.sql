-- Inbox and outbox for exactly-once effects over at-least-once delivery (see design.md).
CREATE TABLE inbox (
    consumer     text        NOT NULL,
    event_id     uuid        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

CREATE TABLE outbox (
    id             bigserial   PRIMARY KEY,
    exchange       text        NOT NULL,
    routing_key    text        NOT NULL,
    message_id     uuid        NOT NULL UNIQUE,
    correlation_id uuid,
    body           text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    published_at   timestamptz
);

CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
