#!/bin/sh
# Runs once, when the postgres container initialises its empty volume: the same role and database
# as a hand-made installation (deploy/postgres-setup.sql), with the password from the environment.
# QSI_DB_PASSWORD: letters and digits only (it is quoted into SQL here and into DATABASE_URL).
set -eu
case "$QSI_DB_PASSWORD" in *[!A-Za-z0-9]*|'') echo "QSI_DB_PASSWORD: letters and digits only" >&2; exit 1;; esac
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v pw="'$QSI_DB_PASSWORD'" -f /qsi/postgres-setup.sql
