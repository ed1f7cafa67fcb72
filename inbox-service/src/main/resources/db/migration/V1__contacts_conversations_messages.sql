CREATE TABLE contact (
    id           UUID PRIMARY KEY,
    tenant_id    TEXT        NOT NULL,
    wa_id        TEXT        NOT NULL,
    profile_name TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, wa_id)
);

-- The chat between the tenant's number and one customer. Chats are never deleted.
CREATE TABLE conversation (
    id              UUID PRIMARY KEY,
    tenant_id       TEXT        NOT NULL,
    contact_id      UUID        NOT NULL REFERENCES contact (id),
    status          TEXT        NOT NULL CHECK (status IN ('OPEN', 'PENDING', 'RESOLVED')),
    unread_count    INTEGER     NOT NULL CHECK (unread_count >= 0),
    last_message_at TIMESTAMPTZ NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX conversation_by_recent ON conversation (tenant_id, last_message_at DESC, id DESC);

CREATE TABLE message (
    id                 UUID PRIMARY KEY,
    tenant_id          TEXT        NOT NULL,
    conversation_id    UUID        NOT NULL REFERENCES conversation (id),
    direction          TEXT        NOT NULL CHECK (direction IN ('INBOUND', 'OUTBOUND')),
    wamid              TEXT,
    type               TEXT        NOT NULL,
    body               TEXT,
    content            JSONB       NOT NULL,
    whatsapp_timestamp TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, wamid)
);
CREATE INDEX message_by_conversation ON message (conversation_id, created_at, id);
