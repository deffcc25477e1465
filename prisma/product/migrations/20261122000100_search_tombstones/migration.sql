-- A removed product keeps its search row as a tombstone at the removal's version, so that an
-- older upsert arriving late cannot bring it back; searches skip tombstones.
ALTER TABLE "product_search" ADD COLUMN "deleted" BOOLEAN NOT NULL DEFAULT false;
