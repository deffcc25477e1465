-- Inventory's availability per SKU, kept from its stock events (inventory.stock_changed, reserved,
-- released), so a product page needs no call to inventory. A level replaces the one kept only with a
-- higher version of the SKU's stock row, so late or repeated events never take it back.
CREATE TABLE "sku_availability" (
    "sku" TEXT NOT NULL,
    "available" INTEGER NOT NULL,
    "version" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sku_availability_pkey" PRIMARY KEY ("sku")
);
