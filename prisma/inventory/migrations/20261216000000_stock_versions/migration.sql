-- Each stock row's version: one more with every change (recordMovements, under the row's lock). Stock
-- events carry it with the levels after the change, so copies of availability kept elsewhere (the
-- product service's) keep the highest version heard and never go back on a late or repeated event.
ALTER TABLE "stock_items" ADD COLUMN "version" BIGINT NOT NULL DEFAULT 0;
