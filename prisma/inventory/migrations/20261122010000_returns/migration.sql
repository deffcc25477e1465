-- Units of a paid order that is cancelled before shipment come back into stock.
ALTER TABLE "stock_movements" DROP CONSTRAINT "stock_movements_kind_check";
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_kind_check" CHECK ("kind" IN ('set', 'adjust', 'reserve', 'release', 'commit', 'expire', 'return'));
ALTER TABLE "reservations" DROP CONSTRAINT "reservations_status_check";
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_status_check" CHECK ("status" IN ('active', 'committed', 'released', 'expired', 'returned'));
