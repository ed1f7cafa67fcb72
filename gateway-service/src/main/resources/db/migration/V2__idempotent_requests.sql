-- POSTs made with an Idempotency-Key: the first claims the key, its response is kept for replays.
CREATE TABLE idempotent_request (
    tenant_id       TEXT        NOT NULL,
    subject         TEXT        NOT NULL,
    idempotency_key TEXT        NOT NULL,
    request_hash    BYTEA       NOT NULL,
    status          INTEGER,
    content_type    TEXT,
    body            BYTEA,
    created_at      TIMESTAMPTZ NOT NULL,
    completed_at    TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, subject, idempotency_key)
);
