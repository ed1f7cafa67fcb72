-- Append-only: the service never updates or deletes an entry.
CREATE TABLE audit_entry (
    id              BIGSERIAL PRIMARY KEY,
    event_id        TEXT        NOT NULL UNIQUE,
    tenant_id       TEXT        NOT NULL,
    event_type      TEXT        NOT NULL,
    conversation_id UUID        NOT NULL,
    occurred_at     TIMESTAMPTZ NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    payload         JSONB       NOT NULL
);
CREATE INDEX audit_entry_by_conversation ON audit_entry (tenant_id, conversation_id, id);
