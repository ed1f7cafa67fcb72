-- Bucket4j's token buckets of the Cloud API send cap, one per business phone number, shared
-- by every inbox replica (dev.switchboard.support.ratelimit.SharedBuckets): the serialized
-- bucket and, in epoch milliseconds, when it will have refilled completely (the row may go then).
CREATE TABLE rate_limit_bucket (
    id         TEXT PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
