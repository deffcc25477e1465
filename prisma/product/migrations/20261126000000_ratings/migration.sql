-- Ratings of published reviews, as the review service announces them (review.summary_changed),
-- on products (product detail) and in the Postgres search table (minRating, sort=rating).
ALTER TABLE "products" ADD COLUMN "rating_average" DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE "products" ADD COLUMN "rating_count" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "products" ADD COLUMN "rating_version" BIGINT NOT NULL DEFAULT -1;
ALTER TABLE "product_search" ADD COLUMN "rating_average" DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE "product_search" ADD COLUMN "rating_count" INTEGER NOT NULL DEFAULT 0;
