-- A response that carried a secret (Cache-Control: no-store) is recorded without its body and never
-- replayed; the purge deletes keys by age.
ALTER TABLE idempotent_request ADD COLUMN response_kept BOOLEAN NOT NULL DEFAULT TRUE;
CREATE INDEX idempotent_request_by_age ON idempotent_request (created_at);
-- Responses kept before that rule that hold a one-time secret: a new API key (sbk_...) or a CRM
-- subscription's signing secret.
DELETE FROM idempotent_request
WHERE position(convert_to('"sbk_', 'UTF8') IN body) > 0
   OR position(convert_to('"secret"', 'UTF8') IN body) > 0;
