-- The 24-hour customer-service window of each conversation, from the customer's last message
-- (its WhatsApp timestamp, not the time it was processed).
CREATE TABLE conversation_window (
    conversation_id          UUID PRIMARY KEY,
    tenant_id                TEXT        NOT NULL,
    opened_at                TIMESTAMPTZ NOT NULL,
    last_customer_message_at TIMESTAMPTZ NOT NULL,
    expires_at               TIMESTAMPTZ NOT NULL,
    updated_at               TIMESTAMPTZ NOT NULL
);
