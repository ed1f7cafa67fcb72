-- Message templates the tenant has had approved by Meta: only these may be sent outside the
-- 24-hour window, and their category decides what Meta charges.
CREATE TABLE template (
    tenant_id  TEXT        NOT NULL,
    name       TEXT        NOT NULL,
    language   TEXT        NOT NULL,
    category   TEXT        NOT NULL CHECK (category IN ('MARKETING', 'UTILITY', 'AUTHENTICATION')),
    status     TEXT        NOT NULL CHECK (status IN ('APPROVED', 'PAUSED', 'REJECTED')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, name, language)
);

-- Saved replies an agent calls with /shortcut at the start of a message.
CREATE TABLE quick_reply (
    id         UUID PRIMARY KEY,
    tenant_id  TEXT        NOT NULL,
    shortcut   TEXT        NOT NULL,
    text       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, shortcut)
);

CREATE TABLE label (
    id         UUID PRIMARY KEY,
    tenant_id  TEXT        NOT NULL,
    name       TEXT        NOT NULL,
    color      TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE conversation_label (
    conversation_id UUID NOT NULL REFERENCES conversation (id),
    label_id        UUID NOT NULL REFERENCES label (id) ON DELETE CASCADE,
    applied_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (conversation_id, label_id)
);

CREATE TABLE contact_label (
    contact_id UUID NOT NULL REFERENCES contact (id),
    label_id   UUID NOT NULL REFERENCES label (id) ON DELETE CASCADE,
    applied_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (contact_id, label_id)
);

CREATE TABLE business_profile (
    tenant_id          TEXT PRIMARY KEY,
    about              TEXT,
    email              TEXT,
    website            TEXT,
    address            TEXT,
    opening_hours      JSONB       NOT NULL DEFAULT '[]',
    verification_level TEXT        NOT NULL DEFAULT 'UNVERIFIED'
        CHECK (verification_level IN ('UNVERIFIED', 'CONFIRMED', 'VERIFIED')),
    updated_at         TIMESTAMPTZ NOT NULL
);

CREATE INDEX message_search ON message USING gin (to_tsvector('simple', coalesce(body, '')));
