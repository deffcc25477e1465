-- Every checkout counts the shopper's unpaid orders and their units (the cap on what one shopper
-- holds unpaid): only those orders are in this index, so it stays small and cheap to keep.
CREATE INDEX "orders_unpaid_by_user" ON "orders"("user_id") WHERE "status" IN ('PENDING', 'AWAITING_PAYMENT');
