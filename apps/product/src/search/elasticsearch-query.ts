/** Turns a SearchQuery into an Elasticsearch search request, and its answer into a SearchResult. */
import type { estypes } from '@elastic/elasticsearch';
import { PRICE_RANGES, type SearchHit, type SearchQuery, type SearchResult, type SearchSort } from './search-backend';
import { ATTRIBUTE_PAIRS, attributeFilters, FACET_SIZE, pageWindow, shapeFacets, toHit } from './search-shape';
import { queryWords } from './search-text';
import type { Locale } from '../i18n/locales';

type Query = estypes.QueryDslQueryContainer;

// Which fields a word may match, and how. Postgres mirrors each rule (postgres-search-sql.ts):
// as typed, anywhere in the text; as a prefix, in name, brand or attribute values; with a
// typo, in name or brand only (where Postgres has its trigram index).
const EXACT_FIELDS = ['folded.name^3', 'folded.brand^2', 'folded.attrs', 'folded.description'];
const TYPO_FIELDS = ['folded.name^3', 'folded.brand^2'];
const PREFIX_FIELDS: Array<[string, number]> = [
  ['folded.name', 3],
  ['folded.brand', 2],
  ['folded.attrs', 1],
];

/**
 * Every word must match, each in its own way: "blu shrt" finds the blue shirts ("blu" as a
 * prefix of the colour, "shrt" as a typo of the name), which neither one fuzzy multi_match
 * with operator "and" (no prefixes) nor a prefix match alone (no typos) would.
 */
function wordMatches(word: string, locale?: Locale): Query {
  // A locale's own text is folded like the rest (this build of Elasticsearch has no language
  // analysers): its words match as typed, as a prefix of its name, or with a typo in its name.
  const localized: Query[] = locale
    ? [
        { multi_match: { query: word, fields: [`i18n.${locale}.name^3`, `i18n.${locale}.description`], operator: 'and' } },
        { multi_match: { query: word, fields: [`i18n.${locale}.name^3`], operator: 'and', fuzziness: 'AUTO' } },
        { prefix: { [`i18n.${locale}.name`]: { value: word, boost: 3 } } },
      ]
    : [];
  return {
    bool: {
      minimum_should_match: 1,
      should: [
        { multi_match: { query: word, fields: EXACT_FIELDS, operator: 'and' } },
        // AUTO: one edit for words of 3 to 5 letters, two from 6, none below 3.
        { multi_match: { query: word, fields: TYPO_FIELDS, operator: 'and', fuzziness: 'AUTO' } },
        ...PREFIX_FIELDS.map(([field, boost]): Query => ({ prefix: { [field]: { value: word, boost } } })),
        ...localized,
      ],
    },
  };
}

function filters(query: SearchQuery): Query[] {
  const result: Query[] = [];
  if (query.categoryIds?.length) result.push({ terms: { categoryIds: query.categoryIds } });
  if (query.minPrice !== undefined || query.maxPrice !== undefined) {
    result.push({ range: { price: { gte: query.minPrice, lte: query.maxPrice } } });
  }
  if (query.minRating !== undefined) result.push({ range: { ratingAverage: { gte: query.minRating } } });
  for (const pairs of attributeFilters(query.attributes)) result.push({ terms: { attrs: pairs } });
  return result;
}

// Ties always end on the id, so that both engines page through equal keys in the same order.
const SORTS: Record<SearchSort, estypes.SortCombinations[]> = {
  relevance: [{ _score: { order: 'desc' } }, { createdAt: 'desc' }, { id: 'asc' }],
  price_asc: [{ price: 'asc' }, { id: 'asc' }],
  price_desc: [{ price: 'desc' }, { id: 'asc' }],
  newest: [{ createdAt: 'desc' }, { id: 'asc' }],
  rating: [{ ratingAverage: 'desc' }, { ratingCount: 'desc' }, { id: 'asc' }],
};

// The order shapeFacets sorts in, so that the buckets cut off at `size` are the same ones.
const BUCKET_ORDER: estypes.AggregationsAggregateOrder = [{ _count: 'desc' }, { _key: 'asc' }];

// Aggregations run over the query and its filters: facet counts say what the current filters
// leave, not what dropping one of them would add.
const FACETS: Record<string, estypes.AggregationsAggregationContainer> = {
  category: { terms: { field: 'directCategoryIds', size: FACET_SIZE, order: BUCKET_ORDER } },
  brand: { terms: { field: 'brand', size: FACET_SIZE, order: BUCKET_ORDER, exclude: [''] } },
  price: { range: { field: 'price', ranges: PRICE_RANGES.map(({ key, from, to }) => ({ key, from, to })) } },
  attrs: { terms: { field: 'attrs', size: ATTRIBUTE_PAIRS, order: BUCKET_ORDER } },
};

const HIT_FIELDS: Array<keyof SearchHit> = ['id', 'name', 'brand', 'price', 'currency', 'image', 'categoryIds', 'createdAt', 'ratingAverage', 'ratingCount'];

/**
 * What of Elasticsearch's answer searchResult reads: the total, the hits' sources and the buckets'
 * keys and counts. Without it every hit came with its index name, id, score and sort values and every
 * range bucket with its bounds, for Elasticsearch to write and this service to parse and drop.
 */
export const SEARCH_RESPONSE_FIELDS = ['hits.total.value', 'hits.hits._source', 'aggregations.*.buckets.key', 'aggregations.*.buckets.doc_count'];

export function searchRequest(index: string, query: SearchQuery): estypes.SearchRequest {
  const { offset, size } = pageWindow(query);
  return {
    index,
    query: {
      bool: {
        must: queryWords(query.q).map((word) => wordMatches(word, query.locale)),
        filter: filters(query),
        must_not: [{ term: { deleted: true } }],
      },
    },
    sort: SORTS[query.sort],
    from: offset,
    size,
    track_total_hits: true,
    _source: [...HIT_FIELDS, ...(query.locale ? ['localizedNames'] : [])],
    aggs: FACETS,
    filter_path: SEARCH_RESPONSE_FIELDS,
  };
}

interface Buckets {
  buckets: Array<{ key: string; doc_count: number }>;
}

export function searchResult(response: estypes.SearchResponse<SearchHit & { localizedNames?: Record<string, string> }>, locale?: Locale): SearchResult {
  const aggregations = (response.aggregations ?? {}) as Record<string, Buckets | undefined>;
  const buckets = (name: string) => (aggregations[name]?.buckets ?? []).map((b) => ({ value: String(b.key), count: b.doc_count }));
  // filter_path leaves out what is empty: no hits, no hits array.
  const total = response.hits.total;
  return {
    items: (response.hits.hits ?? []).map(({ _source: hit }) => toHit(hit!, (locale && hit!.localizedNames?.[locale]) || hit!.name)),
    total: typeof total === 'number' ? total : (total?.value ?? 0),
    facets: shapeFacets({ category: buckets('category'), brand: buckets('brand'), price: buckets('price'), attrs: buckets('attrs') }),
  };
}
