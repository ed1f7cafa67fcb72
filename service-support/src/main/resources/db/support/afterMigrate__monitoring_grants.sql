-- After every migration: postgres-exporter's group role (deploy/postgres/init.sql) may read this
-- schema's outbox backlog, and nothing else of it. A database without that role (tests, the
-- local start) skips it.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'switchboard_monitor')
            AND to_regclass('outbox') IS NOT NULL THEN
        GRANT SELECT ON outbox TO switchboard_monitor;
    END IF;
END
$$;
