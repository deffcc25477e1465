/**
 * Builds the one statement that answers a search from product_search: the matching rows, one
 * page of them, their count and their facet counts. User input only ever travels as parameters;
 * the SQL text is assembled from constants and parameter numbers.
 */
import { PRICE_RANGES, type SearchQuery, type SearchSort } from './search-backend';
import { attributeFilters, pageWindow } from './search-shape';
import { queryWords } from './search-text';
import { LOCALES, type Locale } from '../i18n/locales';
import { isUuid } from '@shop/validation';

/** Must stay the expression of product_search_name_trgm_idx, or the index goes unused. */
const NAME_AND_BRAND = `shop_unaccent(lower("name" || ' ' || "brand"))`;

/**
 * The lowest trigram word similarity a typo may keep, set as pg_trgm.word_similarity_threshold
 * on every connection so that the index (through %>) already applies it.
 */
export const TRIGRAM_THRESHOLD = 0.5;

/**
 * Typo tolerance, in the spirit of Elasticsearch's AUTO fuzziness: none for words under three
 * letters, and short words must keep more of their trigrams ("blu" must not find "black", which
 * shares half of them) than long ones ("jackte" keeps 4 of 7 of "jacket"'s).
 */
export function typoThreshold(word: string): number | undefined {
  const letters = [...word].length;
  if (letters < 3) return undefined;
  return letters < 6 ? 0.6 : TRIGRAM_THRESHOLD;
}

const ORDER: Record<SearchSort, string> = {
  relevance: 'rank DESC, created_at DESC, id',
  price_asc: 'price, id',
  price_desc: 'price DESC, id',
  newest: 'created_at DESC, id',
  rating: 'rating_average DESC, rating_count DESC, id',
};


class Parameters {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * A word matches as typed (anywhere in the document), as a prefix (name, brand or attribute
 * values: tsvector weights A and B) or with a typo (name or brand, by trigrams): the same rules
 * as Elasticsearch's, see elasticsearch-query.ts.
 */
function wordMatches(word: string, params: Parameters, locale?: Locale): string {
  const w = params.add(word);
  const ways = [
    `document @@ plainto_tsquery('simple', shop_unaccent(${w}))`,
    `document @@ to_tsquery('simple', quote_literal(shop_unaccent(${w})) || ':*AB')`,
  ];
  if (locale) {
    // The locale's own text, stemmed by its language ("écharpes" finds "Écharpe"), typed or as a prefix of its name.
    const l = params.add(locale);
    const config = `${params.add(LOCALES[locale])}::regconfig`;
    ways.push(`id IN (SELECT t.id FROM product_search_text t WHERE t.locale = ${l}
              AND (t.document @@ plainto_tsquery(${config}, shop_unaccent(lower(${w})))
                   OR t.document @@ to_tsquery(${config}, quote_literal(shop_unaccent(lower(${w}))) || ':*A')))`);
  }
  const threshold = typoThreshold(word);
  if (threshold !== undefined) {
    ways.push(`(${NAME_AND_BRAND} %> ${w} AND word_similarity(${w}, ${NAME_AND_BRAND}) >= ${params.add(threshold)})`);
  }
  return `(${ways.join(' OR ')})`;
}

function conditions(query: SearchQuery, words: string[], params: Parameters): string[] {
  const where = ['NOT deleted', ...words.map((word) => wordMatches(word, params, query.locale))];
  if (query.categoryIds?.length) {
    // Category ids are uuids here; one that is not cannot match anything (as in Elasticsearch).
    const ids = query.categoryIds.filter((id) => isUuid(id));
    where.push(ids.length > 0 ? `category_ids && ${params.add(ids)}::uuid[]` : 'false');
  }
  if (query.minPrice !== undefined) where.push(`price >= ${params.add(query.minPrice)}`);
  if (query.maxPrice !== undefined) where.push(`price <= ${params.add(query.maxPrice)}`);
  if (query.minRating !== undefined) where.push(`rating_average >= ${params.add(query.minRating)}`);
  for (const pairs of attributeFilters(query.attributes)) where.push(`attrs && ${params.add(pairs)}::text[]`);
  return where;
}

/** Full-text rank of the words (typed or as prefixes), plus how closely they resemble name and brand. */
function rank(words: string[], params: Parameters): string {
  if (words.length === 0) return '0';
  const w = params.add(words);
  return `ts_rank_cd(document, (SELECT to_tsquery('simple', string_agg(quote_literal(shop_unaccent(word)) || ':*', ' | ')) FROM unnest(${w}::text[]) AS word))
      + word_similarity(array_to_string(${w}::text[], ' '), ${NAME_AND_BRAND})`;
}

/** A hit's name in the locale asked for where translated, else its own (`p`: the hit's product_search row). */
function localizedName(locale: Locale | undefined, params: Parameters): string {
  if (!locale) return 'p.name';
  return `coalesce((SELECT t.name FROM product_search_text t WHERE t.id = p.id AND t.locale = ${params.add(locale)}), p.name)`;
}

/**
 * Price facet buckets counted in one pass over the matches (a count per range), not one pass per
 * range; ranges without a match are left out, as a join and GROUP BY would.
 */
function priceFacet(params: Parameters): string {
  const counts = PRICE_RANGES.map(({ from, to }) => {
    const bounds = [from === undefined ? undefined : `price >= ${params.add(from)}`, to === undefined ? undefined : `price < ${params.add(to)}`].filter(Boolean);
    return `count(*) FILTER (WHERE ${bounds.length > 0 ? bounds.join(' AND ') : 'true'})::int`;
  });
  return `SELECT 'price', r.key, r.count
        FROM (SELECT ARRAY[${counts.join(', ')}] AS counts FROM matched) c,
             unnest(${params.add(PRICE_RANGES.map((r) => r.key))}::text[], c.counts) AS r(key, count)
       WHERE r.count > 0`;
}

export interface SearchStatement {
  text: string;
  values: unknown[];
}

/**
 * Answers one row: `total`, `items` (the page, as JSON) and `facets` (JSON rows of facet, value,
 * count, with "attrs" counting "name=value" pairs). Facets count the rows the query and filters match.
 * The matches are kept with only what ordering and facets need (narrow enough to stay in work_mem at
 * 100,000 products); the page's 20 or so rows take the rest from product_search by id.
 */
export function searchStatement(query: SearchQuery): SearchStatement {
  const params = new Parameters();
  const words = queryWords(query.q);
  const where = conditions(query, words, params);
  const { offset, size } = pageWindow(query);
  const order = ORDER[query.sort];
  const text = `
    WITH matched AS MATERIALIZED (
      SELECT id, brand, price, direct_category_ids, attrs, created_at, rating_average, rating_count,
             ${rank(words, params)} AS rank
        FROM product_search
       WHERE ${where.join('\n         AND ')}
    ),
    top AS (
      SELECT id, price, created_at, rating_average, rating_count, rank
        FROM matched
       ORDER BY ${order}
       LIMIT ${params.add(size)} OFFSET ${params.add(offset)}
    ),
    page AS (
      SELECT top.id, ${localizedName(query.locale, params)} AS name, p.brand, top.price, p.currency, p.image, p.category_ids AS "categoryIds", top.created_at AS "createdAt",
             top.rating_average AS "ratingAverage", top.rating_count AS "ratingCount", top.rank, top.created_at, top.rating_average, top.rating_count
        FROM top JOIN product_search p ON p.id = top.id
    ),
    facet_counts AS (
      SELECT 'category' AS facet, category::text AS value, count(*)::int AS count
        FROM matched, unnest(direct_category_ids) AS category GROUP BY category
      UNION ALL
      SELECT 'brand', brand, count(*)::int FROM matched WHERE brand <> '' GROUP BY brand
      UNION ALL
      ${priceFacet(params)}
      UNION ALL
      SELECT 'attrs', pair, count(*)::int FROM matched, unnest(attrs) AS pair GROUP BY pair
    )
    SELECT (SELECT count(*)::int FROM matched) AS total,
           (SELECT coalesce(json_agg(page ORDER BY ${order}), '[]'::json) FROM page) AS items,
           (SELECT coalesce(json_agg(facet_counts), '[]'::json) FROM facet_counts) AS facets`;
  return { text, values: params.values };
}
