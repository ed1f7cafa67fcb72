-- Templates as Meta reports them (message_template_status_update, _quality_update,
-- template_category_update), beside what an admin records: every review status Meta sends; a
-- template Meta reports first may have no category yet.
ALTER TABLE template DROP CONSTRAINT template_status_check;
ALTER TABLE template
    ADD CONSTRAINT template_status_check CHECK (status IN ('APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED',
        'FLAGGED', 'IN_APPEAL', 'PENDING_DELETION', 'DELETED', 'REINSTATED', 'LIMIT_EXCEEDED', 'ARCHIVED')),
    ALTER COLUMN category DROP NOT NULL,
    ADD COLUMN meta_template_id TEXT,
    ADD COLUMN quality          TEXT,
    ADD COLUMN reason           TEXT,
    -- Who set the status last: ADMIN (PUT /api/v1/templates) or META (a webhook).
    ADD COLUMN source           TEXT NOT NULL DEFAULT 'ADMIN' CHECK (source IN ('ADMIN', 'META')),
    -- Meta's time of the latest status applied: an older update arriving late is not applied.
    ADD COLUMN meta_updated_at  TIMESTAMPTZ;

-- Meta's errors[] of a failed send, in full (code, title, message, details).
ALTER TABLE message ADD COLUMN errors JSONB;
ALTER TABLE message_status
    ADD COLUMN errors  JSONB,
    ADD COLUMN pricing JSONB;
