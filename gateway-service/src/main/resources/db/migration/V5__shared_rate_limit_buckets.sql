-- Bucket4j's token buckets of the per-tenant and per-API-key limits, shared by every gateway
-- replica (dev.switchboard.support.ratelimit.SharedBuckets): the serialized bucket and, in
-- epoch milliseconds, when it will have refilled completely (the row may go then).
CREATE TABLE rate_limit_bucket (
    id         TEXT PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
