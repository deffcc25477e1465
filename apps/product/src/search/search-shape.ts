/**
 * The parts of a search both engines must do identically: which page to fetch, how attribute
 * filters group, and how raw facet counts become the facets a shopper sees.
 */
import { type FacetBucket, PRICE_RANGES, type SearchHit, type SearchQuery } from './search-backend';

/** Buckets per facet. */
export const FACET_SIZE = 50;
/**
 * Distinct "name=value" attribute pairs counted before they are split into attr.<name> facets.
 * Both engines count the same top pairs (by count, then value), so their facets agree.
 */
export const ATTRIBUTE_PAIRS = 1000;
/**
 * Deepest hit either engine serves. Elasticsearch refuses to page past its result window
 * (10,000 by default), and a deep OFFSET makes Postgres sort everything before it; past this,
 * a page has no items but still the total and the facets.
 */
export const MAX_RESULT_WINDOW = 10_000;

export function pageWindow(query: Pick<SearchQuery, 'page' | 'limit'>): { offset: number; size: number } {
  const offset = Math.max(0, (query.page - 1) * query.limit);
  return { offset: Math.min(offset, MAX_RESULT_WINDOW), size: Math.max(0, Math.min(query.limit, MAX_RESULT_WINDOW - offset)) };
}

/** One list of accepted "name=value" pairs per attribute name: any pair of a list matches, every list must. */
export function attributeFilters(attributes: SearchQuery['attributes']): string[][] {
  return Object.entries(attributes ?? {})
    .filter(([, values]) => values.length > 0)
    .map(([name, values]) => [...new Set(values)].map((value) => `${name}=${value}`));
}

export interface RawFacets {
  category: FacetBucket[];
  brand: FacetBucket[];
  price: FacetBucket[];
  /** Counts per "name=value" pair. */
  attrs: FacetBucket[];
}

// Code-unit order rather than localeCompare: it is the byte order both engines sort keywords in.
function byCountThenValue(a: FacetBucket, b: FacetBucket): number {
  if (a.count !== b.count) return b.count - a.count;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

function top(buckets: FacetBucket[], size: number): FacetBucket[] {
  return buckets.filter((bucket) => bucket.count > 0 && bucket.value !== '').sort(byCountThenValue).slice(0, size);
}

/** Sorts (count desc, then value asc), drops empty buckets and splits attribute pairs into attr.<name> facets. */
export function shapeFacets(raw: RawFacets): Record<string, FacetBucket[]> {
  const facets: Record<string, FacetBucket[]> = {
    category: top(raw.category, FACET_SIZE),
    brand: top(raw.brand, FACET_SIZE),
    price: top(raw.price, PRICE_RANGES.length),
  };
  for (const { value, count } of top(raw.attrs, ATTRIBUTE_PAIRS)) {
    const cut = value.indexOf('=');
    if (cut <= 0) continue;
    const facet = (facets[`attr.${value.slice(0, cut)}`] ??= []);
    if (facet.length < FACET_SIZE) facet.push({ value: value.slice(cut + 1), count });
  }
  return facets;
}

/**
 * A hit as both engines answer it; dates always in ISO form with milliseconds and Z. `name`: the
 * name in the locale asked for, where the engine keeps it apart (taken here rather than from a copy
 * of the row: a search maps a page of hits for every request).
 */
export function toHit(row: SearchHit, name = row.name): SearchHit {
  return {
    id: row.id,
    name,
    brand: row.brand,
    price: row.price,
    currency: row.currency,
    image: row.image,
    categoryIds: row.categoryIds,
    createdAt: new Date(row.createdAt).toISOString(),
    ratingAverage: row.ratingAverage ?? 0,
    ratingCount: row.ratingCount ?? 0,
  };
}
