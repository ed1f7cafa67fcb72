-- Signed webhooks of fields the platform does not act on (account, phone number quality,
-- alerts, capabilities, ...), kept as Meta sent them for an operator to read. tenant_id is
-- NULL when no tenant names the WhatsApp Business Account.
CREATE TABLE webhook_notice (
    id          BIGSERIAL PRIMARY KEY,
    tenant_id   TEXT,
    waba_id     TEXT        NOT NULL,
    field       TEXT        NOT NULL,
    value       JSONB       NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_notice_by_tenant ON webhook_notice (tenant_id, received_at);
