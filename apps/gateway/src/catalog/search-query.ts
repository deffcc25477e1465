import { BadRequestException } from '@nestjs/common';
import type { productV1 } from '@shop/contracts';
import { attributeNameProblem, INT32_MAX, MAX_AMOUNT_MINOR_UNITS, PAGE_MAX } from '@shop/validation';

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

/** A whole number from 0 to `max`: what the field's gRPC type and database column can hold, at most. */
function wholeNumber(name: string, value: string | undefined, max: number, problems: string[]): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value) || Number(value) > max) {
    problems.push(`${name} must be a whole number from 0 to ${max}`);
    return undefined;
  }
  return Number(value);
}

/** A rating from 0 to 5, decimals allowed ("4", "4.5"). */
function rating(name: string, value: string | undefined, problems: string[]): number | undefined {
  if (value === undefined || value === '') return undefined;
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
      const values = (Array.isArray(value) ? value : [value])
        .flatMap((v) => String(v).split(','))
        .map((v) => v.trim())
        .filter(Boolean);
      if (values.length === 0 || values.some((v) => v.length > 100)) problems.push(`${key} needs values of 1 to 100 characters`);
      attributes.push({ name: attribute[1]!, values });
    } else if (!KNOWN.has(key)) {
      problems.push(`unknown query parameter ${key}`);
    }
  }
  const request: productV1.SearchProductsRequest = {
    q: single('q', raw.q, problems) ?? '',
    category: single('category', raw.category, problems) ?? '',
    minPrice: wholeNumber('minPrice', single('minPrice', raw.minPrice, problems), MAX_AMOUNT_MINOR_UNITS, problems),
    maxPrice: wholeNumber('maxPrice', single('maxPrice', raw.maxPrice, problems), MAX_AMOUNT_MINOR_UNITS, problems),
    minRating: rating('minRating', single('minRating', raw.minRating, problems), problems),
    attributes,
    sort: single('sort', raw.sort, problems) ?? '',
    // The product service applies its own, smaller bounds (search pages, SEARCH_MAX_LIMIT); these are what the wire takes.
    page: wholeNumber('page', single('page', raw.page, problems), PAGE_MAX, problems) ?? 0,
    limit: wholeNumber('limit', single('limit', raw.limit, problems), INT32_MAX, problems) ?? 0,
  };
  if (problems.length > 0) throw new BadRequestException(problems);
  return request;
}
