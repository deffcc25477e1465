import type { ReviewDocument } from '../store';
import { REVIEW_SORTS, type ReviewSort, sortKeys } from './review-input';

/**
 * How many reviews of a product's list, in each order, the summary publisher keeps ready: page 1 at
 * the largest page size, or pages 1 to 5 of 20. On FerretDB v1.24, which sorts in its own process,
 * a list read straight from the reviews fetches and sorts every published review of the product.
 */
export const FIRST_PAGE_WINDOW = 100;

/**
 * Reviews per stored chunk of that window: page 1 of 20 (the default) is one chunk. FerretDB decodes
 * a whole document on every read: a chunk of 100 reviews took 8 ms alone and 70 ms at 16 at once,
 * one of 20 took 2 and 17.
 */
export const FIRST_PAGE_CHUNK = 20;
export const FIRST_PAGE_CHUNKS = FIRST_PAGE_WINDOW / FIRST_PAGE_CHUNK;

/** A review as a list shows it: without its voters (nor the flag older builds left). */
export type ListedReview = Omit<ReviewDocument, 'voters'>;

export const firstPageId = (productId: string, sort: ReviewSort, chunk: number) => `${productId}:${sort}:${chunk}`;

/** The chunks holding reviews `offset` to `offset + limit - 1` of a list. */
export function chunksHolding(offset: number, limit: number): number[] {
  const first = Math.floor(offset / FIRST_PAGE_CHUNK);
  const last = Math.floor((offset + limit - 1) / FIRST_PAGE_CHUNK);
  return Array.from({ length: last - first + 1 }, (_, n) => first + n);
}

/** Whether a page of a list without a rating filter lies within the reviews kept ready. */
export function withinFirstPages(page: number, limit: number, ratingFilter: number): boolean {
  return ratingFilter === 0 && page * limit <= FIRST_PAGE_WINDOW;
}

/** Orders reviews as MongoDB does for `sortKeys(sort)` (the same keys; `_id` strings compare as bytes, ASCII here). */
export function reviewOrder(sort: ReviewSort): (a: ListedReview, b: ListedReview) => number {
  const keys = Object.entries(sortKeys(sort)) as Array<[keyof ListedReview, 1 | -1]>;
  return (a, b) => {
    for (const [key, direction] of keys) {
      const left = comparable(a[key]);
      const right = comparable(b[key]);
      if (left < right) return -direction;
      if (left > right) return direction;
    }
    return 0;
  };
}

function comparable(value: unknown): number | string {
  if (value instanceof Date) return value.getTime();
  return typeof value === 'number' ? value : String(value);
}

/**
 * The first FIRST_PAGE_WINDOW published reviews in every order, from all of a product's reviews, in
 * FIRST_PAGE_CHUNKS chunks each (empty ones too: a list that shrank replaces what it held before).
 */
export function firstPages(reviews: ReadonlyArray<ListedReview>): Record<ReviewSort, ListedReview[][]> {
  const published = reviews.filter((review) => review.status === 'published');
  const pages = {} as Record<ReviewSort, ListedReview[][]>;
  for (const sort of REVIEW_SORTS) {
    const window = [...published].sort(reviewOrder(sort)).slice(0, FIRST_PAGE_WINDOW);
    pages[sort] = Array.from({ length: FIRST_PAGE_CHUNKS }, (_, chunk) => window.slice(chunk * FIRST_PAGE_CHUNK, (chunk + 1) * FIRST_PAGE_CHUNK));
  }
  return pages;
}
