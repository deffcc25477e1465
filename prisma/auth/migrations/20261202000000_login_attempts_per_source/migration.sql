-- Failed logins are counted per account and source (the client's address), so failures from one
-- source lock out that source only. Counts kept so far name no source; they are dropped (a lock
-- lasts at most 15 minutes anyway).
DELETE FROM "login_attempts";
ALTER TABLE "login_attempts" ADD COLUMN "source" TEXT NOT NULL;
ALTER TABLE "login_attempts" DROP CONSTRAINT "login_attempts_pkey";
ALTER TABLE "login_attempts" ADD CONSTRAINT "login_attempts_pkey" PRIMARY KEY ("email", "source");
-- The sweeper of stale attempts finds them by their last failure.
CREATE INDEX "login_attempts_last_failure_at_idx" ON "login_attempts" ("last_failure_at");
