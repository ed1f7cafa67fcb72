-- Each tenant's entries form an RFC 9162 Merkle tree: a dense log index per tenant and the leaf
-- hash of the entry's canonical form (see AuditEntry#canonical), recomputable here in SQL.
ALTER TABLE audit_entry ADD COLUMN log_index BIGINT;
ALTER TABLE audit_entry ADD COLUMN leaf_hash BYTEA;

UPDATE audit_entry e SET log_index = n.log_index
FROM (SELECT id, row_number() OVER (PARTITION BY tenant_id ORDER BY id) - 1 AS log_index FROM audit_entry) n
WHERE e.id = n.id;

UPDATE audit_entry SET leaf_hash = sha256('\x00'::bytea || convert_to(concat_ws(E'\n',
    tenant_id, log_index::text, event_id, event_type, conversation_id::text,
    ((extract(epoch FROM occurred_at) * 1000000)::bigint)::text,
    ((extract(epoch FROM recorded_at) * 1000000)::bigint)::text,
    payload::text), 'UTF8'));

ALTER TABLE audit_entry ALTER COLUMN log_index SET NOT NULL;
ALTER TABLE audit_entry ALTER COLUMN leaf_hash SET NOT NULL;
CREATE UNIQUE INDEX audit_entry_by_log_index ON audit_entry (tenant_id, log_index);

-- The size of each tenant's log: appends lock this row, so indexes stay dense and ordered.
CREATE TABLE audit_log_size (
    tenant_id TEXT PRIMARY KEY,
    size      BIGINT NOT NULL
);
INSERT INTO audit_log_size (tenant_id, size) SELECT tenant_id, count(*) FROM audit_entry GROUP BY tenant_id;

-- Signed tree heads: the root of a tenant's tree at a size, signed with the audit key (Ed25519).
CREATE TABLE audit_tree_head (
    tenant_id TEXT        NOT NULL,
    tree_size BIGINT      NOT NULL,
    root_hash BYTEA       NOT NULL,
    signed_at TIMESTAMPTZ NOT NULL,
    key_id    TEXT        NOT NULL,
    signature BYTEA       NOT NULL,
    PRIMARY KEY (tenant_id, tree_size)
);

-- Append-only, whoever connects: the product never updates or deletes an entry or a tree head.
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME;
END
$$;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_tree_head_append_only BEFORE UPDATE OR DELETE ON audit_tree_head
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_tree_head_no_truncate BEFORE TRUNCATE ON audit_tree_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
