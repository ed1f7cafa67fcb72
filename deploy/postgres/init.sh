#!/bin/sh
# Run by the postgres image on an empty data volume (/docker-entrypoint-initdb.d): creates the
# schemas and logins of init.sql with the passwords docker-compose passes in.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v database="$POSTGRES_DB" \
  -v gateway_user=gateway -v gateway_password="$GATEWAY_DB_PASSWORD" \
  -v inbox_user=inbox -v inbox_password="$INBOX_DB_PASSWORD" \
  -v routing_user=routing -v routing_password="$ROUTING_DB_PASSWORD" \
  -v billing_user=billing -v billing_password="$BILLING_DB_PASSWORD" \
  -v audit_owner_user=audit_owner -v audit_owner_password="$AUDIT_DB_OWNER_PASSWORD" \
  -v audit_app_user=audit_app -v audit_app_password="$AUDIT_DB_APP_PASSWORD" \
  -v exporter_user=exporter -v exporter_password="$EXPORTER_DB_PASSWORD" \
  -f /etc/switchboard/init.sql
