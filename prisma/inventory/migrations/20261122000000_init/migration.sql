-- Inventory service: stock items, the stock ledger, reservations and their lines, outbox.

CREATE TABLE "stock_items" (
    "sku" TEXT NOT NULL,
    "on_hand" INTEGER NOT NULL DEFAULT 0,
    "reserved" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stock_items_pkey" PRIMARY KEY ("sku"),
    -- The last line of defence: no code path, however wrong, can oversell or go negative.
    CONSTRAINT "stock_items_on_hand_check" CHECK ("on_hand" >= 0),
    CONSTRAINT "stock_items_reserved_check" CHECK ("reserved" >= 0),
    CONSTRAINT "stock_items_reserved_on_hand_check" CHECK ("reserved" <= "on_hand")
);

CREATE TABLE "stock_movements" (
    "id" BIGSERIAL NOT NULL,
    "sku" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "on_hand_delta" INTEGER NOT NULL,
    "reserved_delta" INTEGER NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "reference" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stock_movements_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "stock_movements_kind_check" CHECK ("kind" IN ('set', 'adjust', 'reserve', 'release', 'commit', 'expire'))
);
CREATE INDEX "stock_movements_sku_created_at_idx" ON "stock_movements"("sku", "created_at");

CREATE TABLE "reservations" (
    "id" UUID NOT NULL,
    "order_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "reservations_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "reservations_status_check" CHECK ("status" IN ('active', 'committed', 'released', 'expired'))
);
CREATE UNIQUE INDEX "reservations_order_id_key" ON "reservations"("order_id");
CREATE INDEX "reservations_status_expires_at_idx" ON "reservations"("status", "expires_at");

CREATE TABLE "reservation_lines" (
    "reservation_id" UUID NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    CONSTRAINT "reservation_lines_pkey" PRIMARY KEY ("reservation_id","sku"),
    CONSTRAINT "reservation_lines_quantity_check" CHECK ("quantity" > 0)
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

ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_sku_fkey" FOREIGN KEY ("sku") REFERENCES "stock_items"("sku") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "reservation_lines" ADD CONSTRAINT "reservation_lines_reservation_id_fkey" FOREIGN KEY ("reservation_id") REFERENCES "reservations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Wakes the outbox relay as soon as an event is committed instead of waiting for its next poll.
CREATE FUNCTION "notify_outbox_events"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_events', '');
  RETURN NULL;
END $$;
CREATE TRIGGER "outbox_events_notify" AFTER INSERT ON "outbox_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_outbox_events"();
