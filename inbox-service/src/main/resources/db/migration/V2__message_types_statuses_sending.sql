-- Inbound: every Meta type is kept; media as Meta's id with its MIME type; an unknown type is
-- stored as 'unsupported' with Meta's type name beside it.
ALTER TABLE message
    ADD COLUMN original_type     TEXT,
    ADD COLUMN media_id          TEXT,
    ADD COLUMN mime_type         TEXT,
    -- Outbound: the send's life. QUEUED until the Cloud API accepted it (ACCEPTED, with a wamid),
    -- then the ticks Meta reports: SENT, DELIVERED, READ; or FAILED.
    ADD COLUMN status            TEXT CHECK (status IN ('QUEUED', 'ACCEPTED', 'SENT', 'DELIVERED', 'READ', 'FAILED')),
    ADD COLUMN sent_at           TIMESTAMPTZ,
    ADD COLUMN delivered_at      TIMESTAMPTZ,
    ADD COLUMN read_at           TIMESTAMPTZ,
    ADD COLUMN failed_at         TIMESTAMPTZ,
    ADD COLUMN error             TEXT,
    ADD COLUMN agent_id          TEXT,
    ADD COLUMN device_id         TEXT,
    ADD COLUMN kind              TEXT CHECK (kind IN ('text', 'media', 'template')),
    ADD COLUMN template_name     TEXT,
    ADD COLUMN template_category TEXT CHECK (template_category IN ('MARKETING', 'UTILITY', 'AUTHENTICATION')),
    ADD COLUMN graph_request     JSONB,
    ADD COLUMN attempts          INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at   TIMESTAMPTZ;

CREATE INDEX message_send_due ON message (next_attempt_at) WHERE status = 'QUEUED';

-- Every status webhook, once per (wamid, status): a status may arrive before the send that
-- produced the wamid has been recorded, and is applied when it is.
CREATE TABLE message_status (
    tenant_id   TEXT        NOT NULL,
    wamid       TEXT        NOT NULL,
    status      TEXT        NOT NULL CHECK (status IN ('SENT', 'DELIVERED', 'READ', 'FAILED')),
    at          TIMESTAMPTZ NOT NULL,
    error       TEXT,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, wamid, status)
);

-- The business phone number the customer wrote to: replies go out from it.
ALTER TABLE conversation
    ADD COLUMN phone_number_id   TEXT,
    ADD COLUMN last_message_text TEXT;

-- Routing's facts about each conversation, from its events (which may overtake the inbox's own
-- record of the conversation, hence a table of their own): free-form replies only before
-- window_expires_at; the assignee.
CREATE TABLE routing_view (
    conversation_id   UUID PRIMARY KEY,
    tenant_id         TEXT NOT NULL,
    window_expires_at TIMESTAMPTZ,
    assignee          TEXT
);

-- Consent and blocking. A customer who writes in has opted in (source CUSTOMER_INITIATED) unless
-- they opted out.
ALTER TABLE contact
    ADD COLUMN opt_in_state  TEXT NOT NULL DEFAULT 'UNKNOWN' CHECK (opt_in_state IN ('UNKNOWN', 'OPTED_IN', 'OPTED_OUT')),
    ADD COLUMN opt_in_source TEXT,
    ADD COLUMN opt_in_at     TIMESTAMPTZ,
    ADD COLUMN blocked       BOOLEAN NOT NULL DEFAULT FALSE;

-- audit-service's device registry as its DeviceChanged events tell it: sends name a device.
CREATE TABLE device (
    tenant_id  TEXT    NOT NULL,
    device_id  TEXT    NOT NULL,
    agent_id   TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    version    BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, device_id)
);
