-- Shared by every service, in the service's own schema.

-- Events written in the same transaction as the state change they describe; the relay
-- publishes them to Kafka in id order and deletes them once the broker acknowledged.
CREATE TABLE outbox (
    id          BIGSERIAL PRIMARY KEY,
    event_id    UUID        NOT NULL UNIQUE,
    topic       TEXT        NOT NULL,
    message_key TEXT        NOT NULL,
    event_type  TEXT        NOT NULL,
    tenant_id   TEXT        NOT NULL,
    payload     BYTEA       NOT NULL,
    traceparent TEXT,
    created_at  TIMESTAMPTZ NOT NULL
);

-- One row per event a consumer has applied, written in the same transaction as its effect:
-- a redelivered or replayed event finds its row and changes nothing.
CREATE TABLE processed_event (
    consumer     TEXT        NOT NULL,
    event_id     TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
