-- Revoking access: access tokens of a user issued before "access_not_before" are refused (their
-- roles changed, they logged out everywhere, an admin locked them); a locked account cannot log in.
ALTER TABLE "users" ADD COLUMN "access_not_before" TIMESTAMPTZ(3);
ALTER TABLE "users" ADD COLUMN "locked_at" TIMESTAMPTZ(3);
ALTER TABLE "users" ADD COLUMN "lock_reason" TEXT NOT NULL DEFAULT '';

-- A starting gateway asks for the revocations younger than an access token's lifetime: few rows.
CREATE INDEX "users_recent_access_not_before" ON "users"("access_not_before") WHERE "access_not_before" IS NOT NULL;

INSERT INTO "permissions" ("key", "description") VALUES
  ('users:lock', 'Lock and unlock accounts (a lock ends every session of the account)');

INSERT INTO "role_permissions" ("role_id", "permission_key") VALUES
  ('00000000-0000-4000-8000-000000000003', 'users:lock');
