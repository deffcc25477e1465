import { Pool, type PoolClient } from 'pg';
import type { Logger } from 'pino';
import { LOCALES, type Locale } from '../i18n/locales';
import type { SearchBackend, SearchDocument, SearchHit, SearchQuery, SearchResult } from './search-backend';
import { searchStatement, TRIGRAM_THRESHOLD } from './postgres-search-sql';
import { type RawFacets, shapeFacets, toHit } from './search-shape';

export interface PostgresSearchOptions {
  databaseUrl: string;
  logger?: Logger;
}

const UPSERT = `
  INSERT INTO product_search (id, name, description, brand, category_ids, direct_category_ids, attrs, price, currency, image, version, created_at, rating_average, rating_count, deleted)
  VALUES ($1, $2, $3, $4, $5::uuid[], $6::uuid[], $7::text[], $8, $9, $10, $11, $12, $13, $14, false)
  ON CONFLICT (id) DO UPDATE SET
    name = EXCLUDED.name, description = EXCLUDED.description, brand = EXCLUDED.brand,
    category_ids = EXCLUDED.category_ids, direct_category_ids = EXCLUDED.direct_category_ids, attrs = EXCLUDED.attrs,
    price = EXCLUDED.price, currency = EXCLUDED.currency, image = EXCLUDED.image,
    version = EXCLUDED.version, created_at = EXCLUDED.created_at,
    rating_average = EXCLUDED.rating_average, rating_count = EXCLUDED.rating_count, deleted = false
  WHERE product_search.version < EXCLUDED.version`;

// A removed product keeps its row, marked deleted at its version, so an older upsert arriving
// late finds a newer version and changes nothing; a newer one restores the product.
const REMOVE = `
  INSERT INTO product_search (id, name, description, brand, category_ids, direct_category_ids, attrs, price, currency, version, created_at, deleted)
  VALUES ($1, '', '', '', '{}', '{}', '{}', 0, '', $2, now(), true)
  ON CONFLICT (id) DO UPDATE SET deleted = true, version = EXCLUDED.version
  WHERE product_search.version < EXCLUDED.version`;

// Each locale's text analysed with its language's configuration (stemming), after folding accents and case.
const INSERT_TEXTS = `
  INSERT INTO product_search_text (id, locale, name, document)
  SELECT $1, t.locale, t.name,
         setweight(to_tsvector(t.config::regconfig, shop_unaccent(lower(t.name))), 'A')
      || setweight(to_tsvector(t.config::regconfig, shop_unaccent(lower(t.description))), 'C')
    FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(locale, config, name, description)`;

/** Per sort or hash of a search statement, on each of the pool's few connections. */
const SEARCH_WORK_MEM = '16MB';

interface SearchRow {
  total: number;
  items: SearchHit[];
  facets: Array<{ facet: keyof RawFacets; value: string; count: number }>;
}

/**
 * Search over the product_search table (Postgres full text and trigrams) for the embedded
 * default, answering like ElasticsearchSearch: same word rules, filters, facets and orders.
 */
export class PostgresSearch implements SearchBackend {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;

  constructor(options: PostgresSearchOptions) {
    this.pool = new Pool({
      connectionString: options.databaseUrl,
      max: 5,
      // The %> operator takes its threshold from this setting; the trigram index needs %>. A search
      // keeps its matches for the facets: at 100,000 products they outgrow the default 4 MB of
      // work_mem and were written to and read back from temporary files ten times over.
      options: `-c pg_trgm.word_similarity_threshold=${TRIGRAM_THRESHOLD} -c work_mem=${SEARCH_WORK_MEM}`,
    });
    this.pool.on('error', (error) => options.logger?.warn({ err: error }, 'search database connection error'));
  }

  /** The table comes from the product migrations; this only checks they have run. */
  async init(): Promise<void> {
    try {
      await this.pool.query('SELECT id, deleted FROM product_search LIMIT 0');
    } catch (error) {
      throw new Error(`product_search is missing or outdated; run the product migrations (${(error as Error).message})`);
    }
  }

  async upsert(document: SearchDocument): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const written = await this.upsertWith(client, document);
      await client.query('COMMIT');
      return written;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The row, and when it was written (not an older version), its translated text per locale. */
  private async upsertWith(client: PoolClient, document: SearchDocument): Promise<boolean> {
    const result = await client.query(UPSERT, [
      document.id,
      document.name,
      document.description,
      document.brand,
      document.categoryIds,
      document.directCategoryIds,
      document.attrs,
      document.price,
      document.currency,
      document.image,
      document.version,
      document.createdAt,
      document.ratingAverage,
      document.ratingCount,
    ]);
    if (result.rowCount !== 1) return false;
    await client.query('DELETE FROM product_search_text WHERE id = $1', [document.id]);
    const texts = Object.entries(document.translations ?? {}).filter(([locale]) => Object.prototype.hasOwnProperty.call(LOCALES, locale));
    if (texts.length > 0) {
      await client.query(INSERT_TEXTS, [
        document.id,
        texts.map(([locale]) => locale),
        texts.map(([locale]) => LOCALES[locale as Locale]),
        texts.map(([, text]) => text!.name),
        texts.map(([, text]) => text!.description),
      ]);
    }
    return true;
  }

  async remove(id: string, version: number): Promise<void> {
    const result = await this.pool.query(REMOVE, [id, version]);
    if (result.rowCount === 1) await this.pool.query('DELETE FROM product_search_text WHERE id = $1', [id]);
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const { text, values } = searchStatement(query);
    const { rows } = await this.pool.query<SearchRow>(text, values);
    const { total, items, facets } = rows[0]!;
    const raw: RawFacets = { category: [], brand: [], price: [], attrs: [] };
    for (const { facet, value, count } of facets) raw[facet].push({ value, count });
    return { items: items.map((item) => toHit(item)), total, facets: shapeFacets(raw) };
  }

  /** Writes are visible as soon as they commit. */
  async refresh(): Promise<void> {}

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
