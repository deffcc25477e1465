import { chunksHolding, FIRST_PAGE_CHUNK, FIRST_PAGE_WINDOW, firstPages, type ListedReview, reviewOrder, withinFirstPages } from './first-pages';

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
  it('keeps only published reviews, the first FIRST_PAGE_WINDOW per order in chunks of FIRST_PAGE_CHUNK', () => {
    const many = Array.from({ length: FIRST_PAGE_WINDOW + 10 }, (_, n) => review(`r${String(n).padStart(3, '0')}`, { helpfulCount: n, createdAt: day(1 + (n % 28)) }));
    const hidden = review('zz-hidden', { status: 'hidden', helpfulCount: 1000 });
    const pages = firstPages([...many, hidden]);
    expect(pages.helpful.map((chunk) => chunk.length)).toEqual(Array.from({ length: FIRST_PAGE_WINDOW / FIRST_PAGE_CHUNK }, () => FIRST_PAGE_CHUNK));
    expect(pages.helpful[0]![0]!._id).toBe(`r${FIRST_PAGE_WINDOW + 9}`);
    expect(pages.helpful[1]![0]!._id).toBe(`r${String(FIRST_PAGE_WINDOW + 9 - FIRST_PAGE_CHUNK).padStart(3, '0')}`);
    expect(ids(pages.newest.flat())).not.toContain('zz-hidden');
    expect(Object.keys(pages).sort()).toEqual(['helpful', 'newest', 'rating_asc', 'rating_desc']);
  });

  it('writes every chunk, empty ones too, so that a list that shrank leaves nothing of before', () => {
    const pages = firstPages([review('a', {}), review('b', { status: 'deleted' })]);
    expect(pages.newest.map((chunk) => ids(chunk))).toEqual([['a'], [], [], [], []]);
  });
});

describe('chunksHolding', () => {
  it('names the chunks a page spans', () => {
    expect(chunksHolding(0, 20)).toEqual([0]);
    expect(chunksHolding(0, 100)).toEqual([0, 1, 2, 3, 4]);
    expect(chunksHolding(7, 7)).toEqual([0]);
    expect(chunksHolding(14, 7)).toEqual([0, 1]);
    expect(chunksHolding(40, 20)).toEqual([2]);
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
