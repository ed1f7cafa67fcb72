-- Outgoing webhooks for CRMs: a tenant subscribes a URL to event types; each matching event
-- becomes one delivery per subscription, signed with the subscription's secret and retried
-- with doubling waits until the receiver answers 2xx or the attempts run out.
CREATE TABLE crm_subscription (
    id             UUID        PRIMARY KEY,
    tenant_id      TEXT        NOT NULL,
    url            TEXT        NOT NULL,
    -- MESSAGE_RECEIVED, MESSAGE_STATUS, CONVERSATION_ASSIGNED, CONVERSATION_RESOLVED
    event_types    TEXT[]      NOT NULL CHECK (cardinality(event_types) > 0),
    -- Kept as issued: the worker needs it to sign. It is shown once, when the subscription is
    -- created, and never returned again.
    secret         TEXT        NOT NULL,
    active         BOOLEAN     NOT NULL DEFAULT TRUE,
    created_by     TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    deactivated_at TIMESTAMPTZ
);

CREATE INDEX crm_subscription_by_tenant ON crm_subscription (tenant_id, created_at DESC, id DESC);

-- The delivery log. The body is frozen when the delivery is created, so every attempt sends
-- (and signs) the same bytes. PENDING until a 2xx (DELIVERED) or the last failed attempt
-- (FAILED); CANCELLED when the subscription is deactivated first.
CREATE TABLE crm_delivery (
    id               UUID        PRIMARY KEY,
    subscription_id  UUID        NOT NULL REFERENCES crm_subscription (id),
    tenant_id        TEXT        NOT NULL,
    event_id         TEXT        NOT NULL,
    event_type       TEXT        NOT NULL,
    body             TEXT        NOT NULL,
    status           TEXT        NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED', 'CANCELLED')),
    attempts         INTEGER     NOT NULL DEFAULT 0,
    last_status_code INTEGER,
    last_error       TEXT,
    next_attempt_at  TIMESTAMPTZ,
    delivered_at     TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (subscription_id, event_id)
);

CREATE INDEX crm_delivery_due ON crm_delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX crm_delivery_log ON crm_delivery (subscription_id, created_at DESC, id DESC);
