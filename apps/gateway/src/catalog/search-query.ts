import { BadRequestException } from '@nestjs/common';
import type { productV1 } from '@shop/contracts';

const KNOWN = new Set(['q', 'category', 'minPrice', 'maxPrice', 'sort', 'page', 'limit']);
const ATTRIBUTE = /^attr\.([a-z][a-z0-9_-]{0,39})$/;

function single(name: string, value: unknown, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    problems.push(`${name} must be given once`);
    return undefined;
  }
  return String(value);
}

function wholeNumber(name: string, value: string | undefined, problems: string[]): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) {
    problems.push(`${name} must be a whole, non-negative number`);
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
    if (attribute) {
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
    minPrice: wholeNumber('minPrice', single('minPrice', raw.minPrice, problems), problems),
    maxPrice: wholeNumber('maxPrice', single('maxPrice', raw.maxPrice, problems), problems),
    attributes,
    sort: single('sort', raw.sort, problems) ?? '',
    page: wholeNumber('page', single('page', raw.page, problems), problems) ?? 0,
    limit: wholeNumber('limit', single('limit', raw.limit, problems), problems) ?? 0,
  };
  if (problems.length > 0) throw new BadRequestException(problems);
  return request;
}
