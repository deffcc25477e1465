-- Product service: categories, products, variants, search projection, outbox, inbox.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TABLE "categories" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "parent_id" UUID,
    "path" UUID[] NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "categories_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "categories_slug_key" ON "categories"("slug");
CREATE INDEX "categories_parent_id_idx" ON "categories"("parent_id");

CREATE TABLE "products" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "brand" TEXT NOT NULL DEFAULT '',
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "images" TEXT[],
    "status" TEXT NOT NULL DEFAULT 'draft',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    CONSTRAINT "products_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "products_status_check" CHECK ("status" IN ('draft', 'published'))
);
CREATE INDEX "products_status_created_at_idx" ON "products"("status", "created_at");

CREATE TABLE "product_categories" (
    "product_id" UUID NOT NULL,
    "category_id" UUID NOT NULL,
    CONSTRAINT "product_categories_pkey" PRIMARY KEY ("product_id","category_id")
);
CREATE INDEX "product_categories_category_id_idx" ON "product_categories"("category_id");

CREATE TABLE "variants" (
    "id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "sku" TEXT NOT NULL,
    "price_amount" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "position" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "variants_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "variants_price_check" CHECK ("price_amount" >= 0)
);
CREATE UNIQUE INDEX "variants_sku_key" ON "variants"("sku");
CREATE INDEX "variants_product_id_idx" ON "variants"("product_id");

CREATE TABLE "product_search" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "brand" TEXT NOT NULL,
    "category_ids" UUID[] NOT NULL,
    "direct_category_ids" UUID[] NOT NULL,
    "attrs" TEXT[] NOT NULL,
    "price" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "image" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "product_search_pkey" PRIMARY KEY ("id")
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

CREATE TABLE "inbox_events" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "handled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "inbox_events_pkey" PRIMARY KEY ("consumer","event_id")
);

ALTER TABLE "categories" ADD CONSTRAINT "categories_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "categories"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "product_categories" ADD CONSTRAINT "product_categories_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "product_categories" ADD CONSTRAINT "product_categories_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "categories"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "variants" ADD CONSTRAINT "variants_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- unaccent() is only STABLE; this wrapper is IMMUTABLE so it can be used in index expressions.
CREATE FUNCTION "shop_unaccent"(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
$$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
-- array_to_string() is only STABLE in general; for text[] it is immutable.
CREATE FUNCTION "shop_join_words"(text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
$$ SELECT array_to_string($1, ' ') $$;

-- Full text over name (weight A), brand and attribute values (B) and description (C).
ALTER TABLE "product_search" ADD COLUMN "document" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', shop_unaccent(coalesce("name", ''))), 'A') ||
    setweight(to_tsvector('simple', shop_unaccent(coalesce("brand", ''))), 'B') ||
    setweight(to_tsvector('simple', shop_unaccent(replace(shop_join_words("attrs"), '=', ' '))), 'B') ||
    setweight(to_tsvector('simple', shop_unaccent(coalesce("description", ''))), 'C')
) STORED;
CREATE INDEX "product_search_document_idx" ON "product_search" USING GIN ("document");
-- Typo tolerance: trigram similarity on the name and brand.
CREATE INDEX "product_search_name_trgm_idx" ON "product_search" USING GIN (shop_unaccent(lower("name" || ' ' || "brand")) gin_trgm_ops);
CREATE INDEX "product_search_category_ids_idx" ON "product_search" USING GIN ("category_ids");
CREATE INDEX "product_search_attrs_idx" ON "product_search" USING GIN ("attrs");
CREATE INDEX "product_search_price_idx" ON "product_search" ("price");
CREATE INDEX "product_search_created_at_idx" ON "product_search" ("created_at");

CREATE FUNCTION "notify_outbox_events"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_events', '');
  RETURN NULL;
END $$;
CREATE TRIGGER "outbox_events_notify" AFTER INSERT ON "outbox_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_outbox_events"();
