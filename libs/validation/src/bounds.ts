import { AppError } from '@shop/errors';

/**
 * The largest protobuf int32 and Postgres integer: every page number, count, quantity and price
 * crosses one or both, and a value past it fails as an encoding error or an "out of range" from
 * the database instead of the caller's mistake it is.
 */
export const INT32_MAX = 2_147_483_647;

/** Prices and amounts are integer minor units in 32-bit columns (the catalogue's, the orders', the payments'). */
export const MAX_AMOUNT_MINOR_UNITS = INT32_MAX;

/**
 * Pages of every list: numbered from 1, at most PAGE_LIMIT_MAX items each. PAGE_MAX keeps the offset
 * ((page - 1) × limit) far inside what Postgres and Prisma take; no one reads a millionth page.
 */
export const PAGE_MAX = 1_000_000;
export const PAGE_LIMIT_MAX = 100;

export interface PageWindow {
  page: number;
  limit: number;
}

/**
 * The page a list request asks for: 0 (protobuf's unset) means the first page and the default size;
 * anything else must be a whole number within the bounds, or the request is the caller's mistake.
 */
export function pageWindow(request: { page: number; limit: number }, sizes: { defaultLimit: number; maxLimit?: number; maxPage?: number }): PageWindow {
  const maxLimit = sizes.maxLimit ?? PAGE_LIMIT_MAX;
  const maxPage = sizes.maxPage ?? PAGE_MAX;
  const page = request.page === 0 ? 1 : request.page;
  const limit = request.limit === 0 ? sizes.defaultLimit : request.limit;
  const problems: string[] = [];
  if (!Number.isInteger(page) || page < 1 || page > maxPage) problems.push(`page must be a whole number from 1 to ${maxPage}`);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) problems.push(`limit must be a whole number from 1 to ${maxLimit}`);
  if (problems.length > 0) throw AppError.invalid(problems.join('; '));
  return { page, limit };
}
