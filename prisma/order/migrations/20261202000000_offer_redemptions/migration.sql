-- Bargaining offer codes redeemed at checkout: one row per code, written in the placing transaction,
-- so a code is used once however many checkouts try it at the same time.
CREATE TABLE "offer_redemptions" (
    "offer_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "order_id" UUID NOT NULL,
    "sku" TEXT NOT NULL,
    "unit_amount" INTEGER NOT NULL,
    "redeemed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "offer_redemptions_pkey" PRIMARY KEY ("offer_id")
);
