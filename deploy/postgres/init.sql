-- Runs once, when the Postgres data volume is first initialised
-- (mounted into /docker-entrypoint-initdb.d by docker-compose.yml).
-- One database per service that owns data; no service reads another's.
-- Add a line here when a new database-owning service joins the platform.
CREATE DATABASE shop_auth;
CREATE DATABASE shop_user;
