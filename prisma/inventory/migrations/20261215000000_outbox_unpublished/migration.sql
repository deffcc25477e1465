-- The relay asks for the oldest unpublished rows after every commit; published rows stay for days
-- (inspection, then the hourly clean-up). Only unpublished rows are in this index, so that question
-- reads the few rows waiting, not the whole retained outbox.
CREATE INDEX "outbox_events_unpublished" ON "outbox_events"("seq") WHERE "published_at" IS NULL;
