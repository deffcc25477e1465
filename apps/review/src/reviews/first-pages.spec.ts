import { FIRST_PAGE_WINDOW, firstPages, type ListedReview, reviewOrder, withinFirstPages } from './first-pages';

function review(id: string, fields: Partial<ListedReview>): ListedReview {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    _id: id, productId: 'p1', userId: `u-${id}`, authorName: 'Ada', rating: 3, title: '', body: 'ok', verifiedPurchase: true, status: 'published',
    moderationReason: '', helpfulCount: 0, rev: 1, createdAt: at, updatedAt: at, ...fields,
  };
}

const ids = (reviews: ListedReview[]) => reviews.map((r) => r._id);
const day = (n: number) => new Date(Date.UTC(2026, 0, n));

describe('reviewOrder', () => {
  const reviews = [
    review('a', { helpfulCount: 5, rating: 4, createdAt: day(1) }),
    review('b', { helpfulCount: 9, rating: 2, createdAt: day(2) }),
    review('c', { helpfulCount: 5, rating: 4, createdAt: day(3) }),
    review('d', { helpfulCount: 5, rating: 4, createdAt: day(3) }),
  ];

  it('sorts by helpful votes, then newest, then _id descending, as the reviews_product_helpful order', () => {
    expect(ids([...reviews].sort(reviewOrder('helpful')))).toEqual(['b', 'd', 'c', 'a']);
  });

  it('sorts newest first by creation time (dates, not their text)', () => {
    expect(ids([...reviews].sort(reviewOrder('newest')))).toEqual(['d', 'c', 'b', 'a']);
  });

  it('sorts by rating either way, newest first within a rating', () => {
    expect(ids([...reviews].sort(reviewOrder('rating_desc')))).toEqual(['d', 'c', 'a', 'b']);
    expect(ids([...reviews].sort(reviewOrder('rating_asc')))).toEqual(['b', 'd', 'c', 'a']);
  });
});

describe('firstPages', () => {
  it('keeps only published reviews, at most FIRST_PAGE_WINDOW per order', () => {
    const many = Array.from({ length: FIRST_PAGE_WINDOW + 10 }, (_, n) => review(`r${String(n).padStart(3, '0')}`, { helpfulCount: n, createdAt: day(1 + (n % 28)) }));
    const hidden = review('zz-hidden', { status: 'hidden', helpfulCount: 1000 });
    const pages = firstPages([...many, hidden]);
    expect(pages.helpful).toHaveLength(FIRST_PAGE_WINDOW);
    expect(pages.helpful[0]!._id).toBe(`r${FIRST_PAGE_WINDOW + 9}`);
    expect(ids(pages.newest)).not.toContain('zz-hidden');
    expect(Object.keys(pages).sort()).toEqual(['helpful', 'newest', 'rating_asc', 'rating_desc']);
  });
});

describe('withinFirstPages', () => {
  it('holds pages ending within the window, without a rating filter', () => {
    expect(withinFirstPages(1, 100, 0)).toBe(true);
    expect(withinFirstPages(5, 20, 0)).toBe(true);
    expect(withinFirstPages(6, 20, 0)).toBe(false);
    expect(withinFirstPages(1, 20, 5)).toBe(false);
  });
});
