import type { Locale } from '../i18n/locales';

/**
 * What the catalogue search needs from an engine. Two engines implement it: Elasticsearch
 * (production) and Postgres full text + trigrams (the embedded default). Both are fed the same
 * documents by the product-event consumer and must answer the same queries the same way wherever
 * both can (relevance scores aside).
 */

/** One published product as the search engines store it. */
export interface SearchDocument {
  id: string;
  name: string;
  description: string;
  brand: string;
  /** Every category of the product and all their ancestors: filtering by a category matches its sub-categories. */
  categoryIds: string[];
  /** The product's own categories, counted by the category facet. */
  directCategoryIds: string[];
  /** "name=value" pairs from the product's and its variants' attributes, e.g. "colour=red", "size=M". */
  attrs: string[];
  /** Lowest variant price, minor units. */
  price: number;
  currency: string;
  image: string;
  /** The product version this document reflects; an older version never overwrites a newer one. */
  version: number;
  createdAt: string;
  /** Average and number of its published reviews (0 and 0 without any). */
  ratingAverage: number;
  ratingCount: number;
  /** Name and description per locale other than the catalogue's default. */
  translations?: Partial<Record<Locale, { name: string; description: string }>>;
}

export type SearchSort = 'relevance' | 'price_asc' | 'price_desc' | 'newest' | 'rating';

export interface SearchQuery {
  q?: string;
  /** Category ids to filter by (a product matches if it is in any); already resolved from slugs. */
  categoryIds?: string[];
  minPrice?: number;
  maxPrice?: number;
  /** Only products whose average rating is at least this. */
  minRating?: number;
  /** A locale other than the default: words also match its text, and hit names come in it where translated. */
  locale?: Locale;
  /** Attribute name -> accepted values (any of them); different names must all match. */
  attributes?: Record<string, string[]>;
  sort: SearchSort;
  page: number;
  limit: number;
}

export interface FacetBucket {
  value: string;
  count: number;
}

export interface SearchHit {
  id: string;
  name: string;
  brand: string;
  price: number;
  currency: string;
  image: string;
  categoryIds: string[];
  createdAt: string;
  ratingAverage: number;
  ratingCount: number;
}

export interface SearchResult {
  items: SearchHit[];
  total: number;
  /** "category" (direct category ids), "brand", "price" (PRICE_RANGES keys) and "attr.<name>" per attribute. */
  facets: Record<string, FacetBucket[]>;
}

/** Price facet buckets in minor units; the key is the bucket's value in the facet. */
export const PRICE_RANGES: Array<{ key: string; from?: number; to?: number }> = [
  { key: '0-1000', to: 1000 },
  { key: '1000-2500', from: 1000, to: 2500 },
  { key: '2500-5000', from: 2500, to: 5000 },
  { key: '5000-10000', from: 5000, to: 10000 },
  { key: '10000-25000', from: 10000, to: 25000 },
  { key: '25000-', from: 25000 },
];

export interface SearchBackend {
  readonly kind: 'elasticsearch' | 'postgres';
  /** Creates the index or table if missing. */
  init(): Promise<void>;
  /** Stores the document unless the engine already holds a newer version. Returns whether it was written. */
  upsert(document: SearchDocument): Promise<boolean>;
  /** Removes the product as of `version`; a later upsert with an older version must not bring it back. */
  remove(id: string, version: number): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  /** Makes writes visible to search at once (tests, reindex). */
  refresh(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
