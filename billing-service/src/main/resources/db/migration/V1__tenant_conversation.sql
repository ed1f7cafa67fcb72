-- Every conversation a tenant has had, the basis of its usage.
CREATE TABLE tenant_conversation (
    conversation_id  UUID PRIMARY KEY,
    tenant_id        TEXT        NOT NULL,
    first_message_at TIMESTAMPTZ NOT NULL,
    recorded_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX tenant_conversation_by_tenant ON tenant_conversation (tenant_id, first_message_at);
