-- Agents: the tenant's users who answer (role AGENT or ADMIN), their presence and capacity.
CREATE TABLE agent (
    tenant_id     TEXT        NOT NULL,
    agent_id      TEXT        NOT NULL,
    display_name  TEXT        NOT NULL,
    presence      TEXT        NOT NULL DEFAULT 'OFFLINE' CHECK (presence IN ('ONLINE', 'AWAY', 'OFFLINE')),
    capacity      INTEGER     NOT NULL DEFAULT 5 CHECK (capacity BETWEEN 0 AND 1000),
    skills        TEXT[]      NOT NULL DEFAULT '{}',
    updated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, agent_id)
);

CREATE TABLE team (
    tenant_id      TEXT        NOT NULL,
    team_id        TEXT        NOT NULL,
    name           TEXT        NOT NULL,
    strategy       TEXT        NOT NULL CHECK (strategy IN ('ROUND_ROBIN', 'LEAST_LOADED')),
    is_default     BOOLEAN     NOT NULL DEFAULT FALSE,
    -- Round robin: the member who was given the team's last conversation.
    last_agent_id  TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, team_id)
);

-- At most one default team per tenant.
CREATE UNIQUE INDEX team_one_default ON team (tenant_id) WHERE is_default;

CREATE TABLE team_member (
    tenant_id  TEXT        NOT NULL,
    team_id    TEXT        NOT NULL,
    agent_id   TEXT        NOT NULL,
    joined_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, team_id, agent_id),
    FOREIGN KEY (tenant_id, team_id) REFERENCES team (tenant_id, team_id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, agent_id) REFERENCES agent (tenant_id, agent_id)
);

-- Rules that send a new conversation to a team: by the customer (WhatsApp id) or by a keyword of
-- the first message. The lowest priority number wins.
CREATE TABLE routing_rule (
    rule_id    UUID PRIMARY KEY,
    tenant_id  TEXT        NOT NULL,
    priority   INTEGER     NOT NULL,
    kind       TEXT        NOT NULL CHECK (kind IN ('CONTACT', 'KEYWORD')),
    match      TEXT        NOT NULL,
    team_id    TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (tenant_id, team_id) REFERENCES team (tenant_id, team_id) ON DELETE CASCADE
);

CREATE INDEX routing_rule_tenant ON routing_rule (tenant_id, priority);

-- Who has each conversation. state: QUEUED (waiting for an agent), ASSIGNED, RESOLVED.
-- awaiting_since: the customer's first message not yet answered (null once an agent replied).
CREATE TABLE assignment (
    conversation_id  UUID PRIMARY KEY,
    tenant_id        TEXT        NOT NULL,
    team_id          TEXT,
    agent_id         TEXT,
    state            TEXT        NOT NULL CHECK (state IN ('QUEUED', 'ASSIGNED', 'RESOLVED')),
    queued_at        TIMESTAMPTZ,
    assigned_at      TIMESTAMPTZ,
    awaiting_since   TIMESTAMPTZ,
    last_customer_at TIMESTAMPTZ,
    flagged_at       TIMESTAMPTZ,
    updated_at       TIMESTAMPTZ NOT NULL
);

CREATE INDEX assignment_queue ON assignment (tenant_id, team_id, queued_at) WHERE state = 'QUEUED';
CREATE INDEX assignment_agent ON assignment (tenant_id, agent_id) WHERE state = 'ASSIGNED';

-- Every reply to a waiting customer, for the service-level report.
CREATE TABLE response (
    message_id        TEXT PRIMARY KEY,
    tenant_id         TEXT        NOT NULL,
    conversation_id   UUID        NOT NULL,
    team_id           TEXT,
    agent_id          TEXT        NOT NULL,
    customer_at       TIMESTAMPTZ NOT NULL,
    responded_at      TIMESTAMPTZ NOT NULL,
    within_window     BOOLEAN     NOT NULL
);

CREATE INDEX response_period ON response (tenant_id, responded_at);

-- Window expiries, for the report (one per window).
CREATE TABLE window_expiry (
    conversation_id  UUID        NOT NULL,
    expired_at       TIMESTAMPTZ NOT NULL,
    tenant_id        TEXT        NOT NULL,
    team_id          TEXT,
    agent_id         TEXT,
    unanswered       BOOLEAN     NOT NULL,
    PRIMARY KEY (conversation_id, expired_at)
);

CREATE INDEX window_expiry_period ON window_expiry (tenant_id, expired_at);

-- Durable timers: the expiry each timer last fired for, so that an extended window fires again
-- and a fired one never fires twice.
ALTER TABLE conversation_window
    ADD COLUMN closing_fired_for TIMESTAMPTZ,
    ADD COLUMN expiry_fired_for  TIMESTAMPTZ,
    ADD COLUMN closing_due_at    TIMESTAMPTZ;

UPDATE conversation_window SET closing_due_at = expires_at - INTERVAL '1 hour';
ALTER TABLE conversation_window ALTER COLUMN closing_due_at SET NOT NULL;

CREATE INDEX conversation_window_closing_due ON conversation_window (closing_due_at)
    WHERE closing_fired_for IS DISTINCT FROM expires_at;
CREATE INDEX conversation_window_expiry_due ON conversation_window (expires_at)
    WHERE expiry_fired_for IS DISTINCT FROM expires_at;
