-- Switchboard's database: one schema per service, one login per service owning only its schema.
-- Run once by the database's superuser, with psql variables for the logins and their passwords
-- (deploy/postgres/init.sh does this for docker-compose; deploy/k8s/README.md for a managed
-- PostgreSQL):
--   psql -v ON_ERROR_STOP=1 -v database=switchboard \
--        -v gateway_user=gateway -v gateway_password=... (and inbox_, routing_, billing_,
--        audit_owner_, audit_app_, exporter_ likewise) -f init.sql
-- Each service migrates its schema with Flyway at start, as that schema's owner.

-- Nobody creates objects outside the schema they own, and only these logins connect.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;

CREATE ROLE :"gateway_user" LOGIN PASSWORD :'gateway_password';
CREATE ROLE :"inbox_user" LOGIN PASSWORD :'inbox_password';
CREATE ROLE :"routing_user" LOGIN PASSWORD :'routing_password';
CREATE ROLE :"billing_user" LOGIN PASSWORD :'billing_password';
-- Audit: audit_owner owns the schema and its tables (Flyway migrates as it); the service runs as
-- audit_app, which owns nothing, so it can neither ALTER a table nor disable the append-only
-- triggers. Its rights are those of audit_writer, which the migrations grant per table (SELECT
-- and INSERT on the log, UPDATE and DELETE only on working tables) and, by ALTER DEFAULT
-- PRIVILEGES run as audit_owner, on every table a later migration creates.
CREATE ROLE :"audit_owner_user" LOGIN PASSWORD :'audit_owner_password';
CREATE ROLE :"audit_app_user" LOGIN PASSWORD :'audit_app_password';
-- postgres-exporter: PostgreSQL's statistics, and SELECT on each service's outbox through
-- switchboard_monitor (granted after every migration, service-support's afterMigrate callback).
CREATE ROLE :"exporter_user" LOGIN PASSWORD :'exporter_password' IN ROLE pg_monitor;

GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"gateway_user", :"inbox_user", :"routing_user",
    :"billing_user", :"audit_owner_user", :"audit_app_user";
GRANT CONNECT ON DATABASE :"database" TO :"exporter_user";

CREATE SCHEMA gateway AUTHORIZATION :"gateway_user";
CREATE SCHEMA inbox AUTHORIZATION :"inbox_user";
CREATE SCHEMA routing AUTHORIZATION :"routing_user";
CREATE SCHEMA billing AUTHORIZATION :"billing_user";
CREATE SCHEMA audit AUTHORIZATION :"audit_owner_user";
GRANT USAGE ON SCHEMA audit TO :"audit_app_user";

-- Roles are cluster-wide: these two may exist already (another database of the same cluster).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'audit_writer') THEN
        CREATE ROLE audit_writer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'switchboard_monitor') THEN
        CREATE ROLE switchboard_monitor NOLOGIN;
    END IF;
END
$$;
-- The migrations grant audit_writer its rights (they need the owner to be a member); the
-- service's connections work as audit_writer (switchboard.audit.database-role).
GRANT audit_writer TO :"audit_owner_user";
GRANT audit_writer TO :"audit_app_user";
GRANT switchboard_monitor TO :"exporter_user";
GRANT USAGE ON SCHEMA inbox, routing, audit, billing TO switchboard_monitor;
