-- Notification service: in-app notifications with each user's sequence, emails to send, preferences,
-- abandoned-cart reminders, the scheduler's lease, the inbox of handled events, the outbox.

CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "source_id" TEXT NOT NULL,
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "notifications_seq_positive" CHECK ("seq" > 0)
);
CREATE UNIQUE INDEX "notifications_user_id_seq_key" ON "notifications"("user_id", "seq");
CREATE UNIQUE INDEX "notifications_user_id_source_id_key" ON "notifications"("user_id", "source_id");
-- Counting a user's unread notifications reads this index only.
CREATE INDEX "notifications_unread_idx" ON "notifications"("user_id") WHERE "read_at" IS NULL;

CREATE TABLE "notification_counters" (
    "user_id" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "notification_counters_pkey" PRIMARY KEY ("user_id")
);

CREATE TABLE "email_deliveries" (
    "id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "to_address" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "email_deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "email_deliveries_status_check" CHECK ("status" IN ('pending', 'sending', 'sent', 'dead')),
    CONSTRAINT "email_deliveries_attempts_check" CHECK ("attempts" >= 0)
);
CREATE UNIQUE INDEX "email_deliveries_user_id_source_id_key" ON "email_deliveries"("user_id", "source_id");
CREATE INDEX "email_deliveries_status_next_attempt_at_idx" ON "email_deliveries"("status", "next_attempt_at");

CREATE TABLE "notification_preferences" (
    "user_id" TEXT NOT NULL,
    "email_account" BOOLEAN NOT NULL DEFAULT true,
    "email_marketing" BOOLEAN NOT NULL DEFAULT false,
    "in_app_orders" BOOLEAN NOT NULL DEFAULT true,
    "in_app_account" BOOLEAN NOT NULL DEFAULT true,
    "in_app_marketing" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("user_id")
);

CREATE TABLE "cart_reminders" (
    "user_id" TEXT NOT NULL,
    "cart_started_at" TIMESTAMPTZ(3) NOT NULL,
    "reminded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "cart_reminders_pkey" PRIMARY KEY ("user_id", "cart_started_at")
);

CREATE TABLE "scheduler_leases" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "lease_until" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "scheduler_leases_pkey" PRIMARY KEY ("name")
);

CREATE TABLE "inbox_events" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "handled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "inbox_events_pkey" PRIMARY KEY ("consumer","event_id")
);

CREATE TABLE "outbox_events" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "topic" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "outbox_events_seq_idx" ON "outbox_events"("seq");

-- Wakes the outbox relay as soon as an event is committed instead of waiting for its next poll.
CREATE FUNCTION "notify_outbox_events"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_events', '');
  RETURN NULL;
END $$;
CREATE TRIGGER "outbox_events_notify" AFTER INSERT ON "outbox_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_outbox_events"();
