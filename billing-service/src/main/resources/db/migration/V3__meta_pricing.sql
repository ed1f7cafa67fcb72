-- How Meta says it bills each message (statuses[].pricing, carried by MessageStatusChanged), once
-- per wamid, the first report kept: compared with billing's own charge by the reconciliation report.
CREATE TABLE meta_pricing (
    wamid           TEXT PRIMARY KEY,
    tenant_id       TEXT        NOT NULL,
    conversation_id TEXT        NOT NULL,
    billable        BOOLEAN,
    category        TEXT,
    pricing_model   TEXT,
    type            TEXT,
    status          TEXT        NOT NULL,
    reported_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX meta_pricing_by_tenant ON meta_pricing (tenant_id, reported_at);
