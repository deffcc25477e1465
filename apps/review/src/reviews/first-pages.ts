import type { ReviewDocument } from '../store';
import { REVIEW_SORTS, type ReviewSort, sortKeys } from './review-input';

/**
 * How many reviews of a product's list, in each order, the summary publisher keeps ready: page 1 at
 * the largest page size, or pages 1 to 5 of 20. On FerretDB v1.24, which sorts in its own process,
 * a list read straight from the reviews fetches and sorts every published review of the product.
 */
export const FIRST_PAGE_WINDOW = 100;

/** A review as a list shows it: without its voters (nor the flag older builds left). */
export type ListedReview = Omit<ReviewDocument, 'voters'>;

export const firstPageId = (productId: string, sort: ReviewSort) => `${productId}:${sort}`;

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

/** The first FIRST_PAGE_WINDOW published reviews in every order, from all of a product's reviews. */
export function firstPages(reviews: ReadonlyArray<ListedReview>): Record<ReviewSort, ListedReview[]> {
  const published = reviews.filter((review) => review.status === 'published');
  const pages = {} as Record<ReviewSort, ListedReview[]>;
  for (const sort of REVIEW_SORTS) pages[sort] = [...published].sort(reviewOrder(sort)).slice(0, FIRST_PAGE_WINDOW);
  return pages;
}
