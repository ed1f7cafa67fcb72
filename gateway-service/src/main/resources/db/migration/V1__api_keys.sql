-- API keys for integrations. Only a SHA-256 hash of the secret is kept: the key is shown once.
CREATE TABLE api_key (
    id          UUID PRIMARY KEY,
    tenant_id   TEXT        NOT NULL,
    name        TEXT        NOT NULL,
    roles       TEXT[]      NOT NULL,
    secret_hash BYTEA       NOT NULL,
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ,
    revoked_by  TEXT
);
CREATE INDEX api_key_by_tenant ON api_key (tenant_id, created_at DESC, id DESC);
