import { BadRequestException } from '@nestjs/common';
import type { productV1 } from '@shop/contracts';
import { CONTROL, SPACE } from '../validation/text';
import { attributeNameProblem, MAX_AMOUNT_MINOR_UNITS, PAGE_LIMIT_MAX, RESERVED_ATTRIBUTE_NAMES } from '@shop/validation';

/** As the product service's search: Elasticsearch answers at most 10,000 hits deep, and both engines stop there. */
export const SEARCH_PAGE_MAX = 10_000;
/** The product service's SEARCH_MAX_LIMIT, by default. */
export const SEARCH_LIMIT_MAX = PAGE_LIMIT_MAX;
export const SEARCH_QUERY_MAX_LENGTH = 200;
export const ATTRIBUTE_FILTERS_MAX = 20;
/** A category's id or slug. */
export const CATEGORY_MAX_LENGTH = 200;

// One value of an attribute filter: 1 to 100 characters, no comma (commas separate values), no
// space at either end, no control character.
const VALUE_END = `[^,${SPACE}${CONTROL}]`;
const VALUE_MIDDLE = `[^,${CONTROL}]`;
const ATTRIBUTE_VALUE = `${VALUE_END}(?:${VALUE_MIDDLE}{0,98}${VALUE_END})?`;
/** What an attr.<name> parameter takes: one value, or several separated by commas. */
export const ATTRIBUTE_VALUES = new RegExp(`^${ATTRIBUTE_VALUE}(?:,${ATTRIBUTE_VALUE})*$`);

/**
 * attr.<name>=<value> for the OpenAPI document: an object whose properties are query parameters of
 * their own (style form, exploded), named attr. and an attribute name (a lower-case word, not a
 * reserved one).
 */
export const ATTRIBUTE_FILTER_QUERY = {
  name: 'attr',
  required: false,
  style: 'form' as const,
  explode: true,
  description:
    'attr.<name>=<value> filters on an attribute (colour, size, material…): any of several values, comma-separated or the parameter repeated; at most 20 attributes. Names are lower-case words of at most 40 letters, digits, "_" or "-"',
  schema: {
    type: 'object' as const,
    maxProperties: ATTRIBUTE_FILTERS_MAX,
    patternProperties: {
      [`^attr\\.(?!(?:${[...RESERVED_ATTRIBUTE_NAMES].join('|')})$)[a-z][a-z0-9_-]{0,39}$`]: { type: 'string', pattern: ATTRIBUTE_VALUES.source },
    },
    additionalProperties: false,
    example: { 'attr.colour': 'red,blue' },
  },
};

// locale is read by the controller (negotiated with Accept-Language).
const KNOWN = new Set(['q', 'category', 'minPrice', 'maxPrice', 'minRating', 'sort', 'page', 'limit', 'locale']);
const ATTRIBUTE = /^attr\.(.*)$/s;

function single(name: string, value: unknown, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    problems.push(`${name} must be given once`);
    return undefined;
  }
  return String(value);
}

/** A whole number from `min` to `max`: what the field's gRPC type and database column can hold, at most. */
function wholeNumber(name: string, value: string | undefined, max: number, problems: string[], min = 0): number | undefined {
  // Given but empty (`?page=`) is no number: the OpenAPI document says an integer, or nothing.
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value) || Number(value) > max || Number(value) < min) {
    problems.push(`${name} must be a whole number from ${min} to ${max}`);
    return undefined;
  }
  return Number(value);
}

/** A rating from 0 to 5, decimals allowed ("4", "4.5"). */
function rating(name: string, value: string | undefined, problems: string[]): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d(\.\d{1,2})?$/.test(value) || Number(value) > 5) {
    problems.push(`${name} must be a number from 0 to 5`);
    return undefined;
  }
  return Number(value);
}

/**
 * GET /products query: q, category, minPrice, maxPrice (minor units), sort, page, limit and
 * attr.<name>=<value> (repeat or comma-separate values to accept any of them). Unknown
 * parameters and malformed numbers are the caller's mistake: 400 with every problem listed.
 */
export function parseSearchQuery(raw: Record<string, unknown>): productV1.SearchProductsRequest {
  const problems: string[] = [];
  const attributes: productV1.AttributeFilter[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const attribute = ATTRIBUTE.exec(key);
    const nameProblem = attribute && attributeNameProblem(attribute[1]!);
    if (nameProblem) {
      problems.push(`${key.slice(0, 60)}: ${nameProblem}`);
    } else if (attribute) {
      const given = (Array.isArray(value) ? value : [value]).map(String);
      if (given.some((v) => !ATTRIBUTE_VALUES.test(v))) problems.push(`${key} needs values of 1 to 100 characters, separated by commas, without spaces around them`);
      attributes.push({ name: attribute[1]!, values: given.flatMap((v) => v.split(',')) });
    } else if (!KNOWN.has(key)) {
      problems.push(`unknown query parameter ${key}`);
    }
  }
  if (attributes.length > ATTRIBUTE_FILTERS_MAX) problems.push(`filter on at most ${ATTRIBUTE_FILTERS_MAX} attributes`);
  const q = single('q', raw.q, problems) ?? '';
  if ([...q].length > SEARCH_QUERY_MAX_LENGTH) problems.push(`q must be at most ${SEARCH_QUERY_MAX_LENGTH} characters`);
  const category = single('category', raw.category, problems) ?? '';
  if ([...category].length > CATEGORY_MAX_LENGTH) problems.push(`category must be at most ${CATEGORY_MAX_LENGTH} characters`);
  const request: productV1.SearchProductsRequest = {
    q,
    category,
    minPrice: wholeNumber('minPrice', single('minPrice', raw.minPrice, problems), MAX_AMOUNT_MINOR_UNITS, problems),
    maxPrice: wholeNumber('maxPrice', single('maxPrice', raw.maxPrice, problems), MAX_AMOUNT_MINOR_UNITS, problems),
    minRating: rating('minRating', single('minRating', raw.minRating, problems), problems),
    attributes,
    sort: single('sort', raw.sort, problems) ?? '',
    // The product service's bounds (search pages, SEARCH_MAX_LIMIT), checked again there.
    page: wholeNumber('page', single('page', raw.page, problems), SEARCH_PAGE_MAX, problems, 1) ?? 0,
    limit: wholeNumber('limit', single('limit', raw.limit, problems), SEARCH_LIMIT_MAX, problems, 1) ?? 0,
  };
  if (problems.length > 0) throw new BadRequestException(problems);
  return request;
}
