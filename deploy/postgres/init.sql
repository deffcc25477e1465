-- One database per service that owns data; no service reads another's.
-- Add a line here when a new database-owning service joins the platform.
--
-- Runs when the Postgres data volume is first initialised (mounted into
-- /docker-entrypoint-initdb.d by docker-compose.yml), and again on every
-- `docker compose up` by the one-shot postgres-databases service, so a volume
-- created before a service existed gets its database too. Idempotent: psql's
-- \gexec runs each CREATE DATABASE only when the database is missing.
SELECT format('CREATE DATABASE %I', db)
FROM unnest(ARRAY[
  'shop_auth',
  'shop_user',
  'shop_product',
  'shop_inventory',
  'shop_order',
  'shop_payment',
  'shop_notification'
]) AS db
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = db)
\gexec
