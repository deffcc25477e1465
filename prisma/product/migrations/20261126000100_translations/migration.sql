-- Catalogue translations: names (and descriptions) per locale other than the default (DEFAULT_LOCALE).
CREATE TABLE "category_translations" (
    "category_id" UUID NOT NULL REFERENCES "categories"("id") ON DELETE CASCADE,
    "locale" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "category_translations_pkey" PRIMARY KEY ("category_id", "locale")
);

CREATE TABLE "product_translations" (
    "product_id" UUID NOT NULL REFERENCES "products"("id") ON DELETE CASCADE,
    "locale" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "product_translations_pkey" PRIMARY KEY ("product_id", "locale")
);

-- Postgres search: each published product's translated text, one row per locale, analysed with its
-- language's text search configuration (stemming: "écharpes" finds "écharpe") after folding accents.
CREATE TABLE "product_search_text" (
    "id" UUID NOT NULL,
    "locale" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "document" tsvector,
    CONSTRAINT "product_search_text_pkey" PRIMARY KEY ("id", "locale")
);
CREATE INDEX "product_search_text_document_idx" ON "product_search_text" USING GIN ("document");
