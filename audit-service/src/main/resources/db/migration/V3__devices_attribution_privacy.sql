-- Tenant-wide events (plans, devices) have no conversation. Their canonical form carries an
-- empty conversation (AuditEntry#canonical).
ALTER TABLE audit_entry ALTER COLUMN conversation_id DROP NOT NULL;

-- Search by agent, device and contact reads the event's own (hashed) JSON.
CREATE INDEX audit_entry_by_agent ON audit_entry (tenant_id, (payload ->> 'agentId'), log_index);
CREATE INDEX audit_entry_by_device ON audit_entry (tenant_id, (payload ->> 'deviceId'), log_index);
CREATE INDEX audit_entry_by_contact ON audit_entry (tenant_id, (payload ->> 'contactId'), log_index);
CREATE INDEX audit_entry_by_type ON audit_entry (tenant_id, event_type, log_index);
CREATE INDEX audit_entry_by_time ON audit_entry (tenant_id, occurred_at, log_index);

-- The tenant's plan as billing last announced it (no row: STANDARD, 4 devices, 1 phone).
CREATE TABLE tenant_plan (
    tenant_id      TEXT PRIMARY KEY,
    plan           TEXT        NOT NULL,
    max_devices    INT         NOT NULL,
    max_phones     INT         NOT NULL,
    effective_from DATE        NOT NULL,
    changed_at     TIMESTAMPTZ NOT NULL
);

-- Plan changes that take effect on a later day, applied by DevicePlans#applyDue.
CREATE TABLE pending_plan (
    tenant_id      TEXT PRIMARY KEY,
    plan           TEXT        NOT NULL,
    max_devices    INT         NOT NULL,
    max_phones     INT         NOT NULL,
    effective_from DATE        NOT NULL,
    changed_at     TIMESTAMPTZ NOT NULL
);

-- The device registry. Names are unique (case-insensitively) among a tenant's devices that are
-- not revoked; a revoked device keeps its row, and everything it sent stays attributed to it.
CREATE TABLE device (
    id            UUID PRIMARY KEY,
    tenant_id     TEXT        NOT NULL,
    agent_id      TEXT        NOT NULL,
    name          TEXT        NOT NULL,
    kind          TEXT        NOT NULL CHECK (kind IN ('PHONE', 'TABLET', 'DESKTOP', 'WEB')),
    state         TEXT        NOT NULL CHECK (state IN ('ACTIVE', 'SUSPENDED', 'REVOKED')),
    version       BIGINT      NOT NULL,
    registered_at TIMESTAMPTZ NOT NULL,
    changed_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX device_name_unique ON device (tenant_id, lower(name)) WHERE state <> 'REVOKED';
CREATE INDEX device_by_tenant ON device (tenant_id, registered_at, id);

-- Attribution and delivery of every outbound message. Statuses only fill empty times, so a late
-- or repeated status changes nothing.
CREATE TABLE message_info (
    tenant_id       TEXT        NOT NULL,
    message_id      TEXT        NOT NULL,
    conversation_id UUID        NOT NULL,
    contact_id      TEXT,
    wamid           TEXT,
    agent_id        TEXT,
    device_id       TEXT,
    device_name     TEXT,
    device_state    TEXT,
    kind            TEXT,
    accepted_at     TIMESTAMPTZ,
    sent_at         TIMESTAMPTZ,
    delivered_at    TIMESTAMPTZ,
    read_at         TIMESTAMPTZ,
    failed_at       TIMESTAMPTZ,
    error           TEXT,
    PRIMARY KEY (tenant_id, message_id)
);

-- Contacts seen in the tenant's events, to find a contact's conversation.
CREATE TABLE contact (
    tenant_id       TEXT NOT NULL,
    contact_id      TEXT NOT NULL,
    wa_id           TEXT NOT NULL,
    conversation_id UUID NOT NULL,
    PRIMARY KEY (tenant_id, contact_id)
);

-- One AES-256 key per contact encrypts the message bodies in the log. Erasure destroys the key
-- (key NULL, erased_at set): the ciphertext stays, so the Merkle tree stays intact. A contact who
-- writes again after an erasure gets a new key.
CREATE TABLE contact_key (
    key_id     UUID PRIMARY KEY,
    tenant_id  TEXT        NOT NULL,
    contact_id TEXT        NOT NULL,
    key        BYTEA,
    created_at TIMESTAMPTZ NOT NULL,
    erased_at  TIMESTAMPTZ,
    CHECK ((key IS NULL) = (erased_at IS NOT NULL))
);
CREATE UNIQUE INDEX contact_key_live ON contact_key (tenant_id, contact_id) WHERE erased_at IS NULL;

-- A legal hold on a contact refuses erasure.
CREATE TABLE legal_hold (
    tenant_id  TEXT        NOT NULL,
    contact_id TEXT        NOT NULL,
    reason     TEXT        NOT NULL,
    placed_by  TEXT        NOT NULL,
    placed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, contact_id)
);

-- The service works as audit_writer (SET through the connection's startup options, see
-- DatabaseRoleConfiguration): it may read and append the log, never update or delete it.
-- Roles are cluster-wide, so it is created only if missing; grants are per schema.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'audit_writer') THEN
        CREATE ROLE audit_writer NOLOGIN;
    END IF;
    IF NOT pg_has_role(current_user, 'audit_writer', 'MEMBER') THEN
        EXECUTE format('GRANT audit_writer TO %I', current_user);
    END IF;
END
$$;

GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO audit_writer;
REVOKE ALL ON ALL TABLES IN SCHEMA ${flyway:defaultSchema} FROM audit_writer;
GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA ${flyway:defaultSchema} TO audit_writer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${flyway:defaultSchema} TO audit_writer;
-- Working state the service changes; the log tables (audit_entry, audit_tree_head) are not here.
GRANT UPDATE, DELETE ON outbox, processed_event, audit_log_size, tenant_plan, pending_plan, device, message_info,
    contact, contact_key, legal_hold TO audit_writer;
REVOKE SELECT, INSERT ON flyway_schema_history FROM audit_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA ${flyway:defaultSchema} GRANT SELECT, INSERT ON TABLES TO audit_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA ${flyway:defaultSchema} GRANT USAGE, SELECT ON SEQUENCES TO audit_writer;
