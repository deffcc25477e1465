import { AppError } from '@shop/errors';
import { UNSTORABLE_CHARACTER } from '@shop/validation';

export const TITLE_MAX = 120;
export const BODY_MAX = 4000;
export const AUTHOR_NAME_MAX = 100;
export const REASON_MAX = 500;

/**
 * Shopper-written text is data: kept and answered exactly as written (never as HTML or a command),
 * bounded, and refused with control characters (NUL…) or unpaired surrogates.
 */
export function text(value: string, field: string, { max, required = false }: { max: number; required?: boolean }): string {
  if (UNSTORABLE_CHARACTER.test(value)) throw AppError.invalid(`${field} must not contain control characters (such as NUL) or unpaired surrogates`);
  const trimmed = value.trim();
  if (required && trimmed.length === 0) throw AppError.invalid(`${field} is required`);
  if ([...trimmed].length > max) throw AppError.invalid(`${field} must be at most ${max} characters`);
  return trimmed;
}

export function rating(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 5) throw AppError.invalid('rating must be a whole number from 1 to 5');
  return value;
}

export interface ReviewText {
  rating: number;
  title: string;
  body: string;
}

export function reviewText(input: { rating: number; title: string; body: string }): ReviewText {
  return { rating: rating(input.rating), title: text(input.title, 'title', { max: TITLE_MAX }), body: text(input.body, 'body', { max: BODY_MAX, required: true }) };
}

export const REVIEW_SORTS = ['newest', 'helpful', 'rating_desc', 'rating_asc'] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];

export function reviewSort(value: string): ReviewSort {
  if (value === '') return 'newest';
  if (!(REVIEW_SORTS as readonly string[]).includes(value)) throw AppError.invalid(`sort must be one of ${REVIEW_SORTS.join(', ')}`);
  return value as ReviewSort;
}

/** Mongo sort keys for a product's published reviews: each matches one of the reviews_product_* indexes, `_id` breaking ties. */
export function sortKeys(sort: ReviewSort): Record<string, 1 | -1> {
  switch (sort) {
    case 'helpful':
      return { helpfulCount: -1, createdAt: -1, _id: -1 };
    case 'rating_desc':
      return { rating: -1, createdAt: -1, _id: -1 };
    case 'rating_asc':
      return { rating: 1, createdAt: -1, _id: -1 };
    default:
      return { createdAt: -1, _id: -1 };
  }
}
