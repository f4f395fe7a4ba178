-- PostgreSQL: a login role and a database it owns, nothing more.
--   sudo -u postgres psql -v pw="'a-long-random-password'" -f deploy/postgres-setup.sql
-- The server creates and migrates its tables at start, so the role owns the schema it writes in;
-- it is not a superuser, cannot create databases or roles, and other roles cannot connect.
\set ON_ERROR_STOP on
CREATE ROLE qsi_clipper LOGIN PASSWORD :pw
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  CONNECTION LIMIT 60;
CREATE DATABASE qsi_clipper OWNER qsi_clipper ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE qsi_clipper FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE qsi_clipper TO qsi_clipper;
\connect qsi_clipper
-- Tables go in a schema of the role's own; nobody else may create or read there.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA qsi_clipper AUTHORIZATION qsi_clipper;
ALTER ROLE qsi_clipper IN DATABASE qsi_clipper SET search_path = qsi_clipper;
