import { AppError } from '@shop/errors';
import { attributeNameProblem, MAX_AMOUNT_MINOR_UNITS, pageWindow } from '@shop/validation';
import type { SearchQuery, SearchSort } from './search-backend';

/** A search as asked over gRPC: protobuf's unset numbers are 0 and unset text is "". */
export interface SearchRequest {
  q: string;
  category: string;
  minPrice?: number;
  maxPrice?: number;
  minRating?: number;
  locale?: string;
  attributes: Array<{ name: string; values: string[] }>;
  sort: string;
  page: number;
  limit: number;
}

const SORTS: SearchSort[] = ['relevance', 'price_asc', 'price_desc', 'newest', 'rating'];
export const DEFAULT_PAGE_SIZE = 20;
/** Elasticsearch answers at most 10,000 hits deep (index.max_result_window); both engines stop there. */
export const SEARCH_PAGE_MAX = 10_000;
export const MAX_QUERY_LENGTH = 200;
export const MAX_ATTRIBUTE_FILTERS = 20;
export const MAX_ATTRIBUTE_VALUE_LENGTH = 100;

/**
 * Checks a search request (the caller's mistakes are INVALID_ARGUMENT, every problem at once) and
 * turns it into the engines' query; the category, an id or a slug, is left to resolve.
 */
export function searchQueryOf(request: SearchRequest, maxLimit: number): { query: SearchQuery; category?: string } {
  const problems: string[] = [];
  let window = { page: 1, limit: DEFAULT_PAGE_SIZE };
  try {
    window = pageWindow(request, { defaultLimit: DEFAULT_PAGE_SIZE, maxLimit, maxPage: SEARCH_PAGE_MAX });
  } catch (error) {
    problems.push((error as AppError).message);
  }
  const sort = (request.sort || (request.q ? 'relevance' : 'newest')) as SearchSort;
  if (!SORTS.includes(sort)) problems.push(`sort must be one of ${SORTS.join(', ')}`);
  for (const [name, value] of [['minPrice', request.minPrice], ['maxPrice', request.maxPrice]] as const) {
    // Prices are 32-bit integers in the index and the database; a bound past that was a 500 from Postgres.
    if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > MAX_AMOUNT_MINOR_UNITS)) {
      problems.push(`${name} must be a whole number of minor units from 0 to ${MAX_AMOUNT_MINOR_UNITS}`);
    }
  }
  // minPrice above maxPrice is a range nothing falls in: it finds nothing, as the engines answer it.
  if (request.minRating !== undefined && !(request.minRating >= 0 && request.minRating <= 5)) problems.push('minRating must be a number from 0 to 5');
  if (request.q.length > MAX_QUERY_LENGTH) problems.push(`q must be at most ${MAX_QUERY_LENGTH} characters`);
  if (request.attributes.length > MAX_ATTRIBUTE_FILTERS) problems.push(`filter on at most ${MAX_ATTRIBUTE_FILTERS} attributes`);
  // A Map, not an object: no attribute name can reach a prototype's properties.
  const attributes = new Map<string, string[]>();
  for (const filter of request.attributes) {
    const name = filter.name.trim().toLowerCase();
    const nameProblem = attributeNameProblem(name);
    if (nameProblem) problems.push(`attr.${name.slice(0, 50)}: ${nameProblem}`);
    else if (filter.values.some((value) => value.length === 0 || value.length > MAX_ATTRIBUTE_VALUE_LENGTH)) {
      problems.push(`attr.${name} needs values of 1 to ${MAX_ATTRIBUTE_VALUE_LENGTH} characters`);
    } else attributes.set(name, [...(attributes.get(name) ?? []), ...filter.values]);
  }
  if (problems.length > 0) throw AppError.invalid(problems.join('; '));
  const query: SearchQuery = { q: request.q.trim() || undefined, sort, ...window, minPrice: request.minPrice, maxPrice: request.maxPrice };
  if (request.minRating !== undefined && request.minRating > 0) query.minRating = request.minRating;
  if (attributes.size > 0) query.attributes = Object.fromEntries(attributes);
  return { query, category: request.category || undefined };
}
