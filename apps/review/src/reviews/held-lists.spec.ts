import type { ListedReview } from './first-pages';
import { HeldListsLru, heldBytes, holdsEverythingOf, ProductReviewLists, REVIEW_HELD_BYTES } from './held-lists';

function review(id: string, fields: Partial<ListedReview>): ListedReview {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    _id: id, productId: 'p1', userId: `u-${id}`, authorName: 'Ada', rating: 3, title: '', body: 'ok', verifiedPurchase: true, status: 'published',
    moderationReason: '', helpfulCount: 0, rev: 1, createdAt: at, updatedAt: at, ...fields,
  };
}

const stamp = (version: number, storedAt = 1000) => ({ version, storedAt });
const ids = (reviews: ListedReview[]) => reviews.map((r) => r._id);
const lists = (size: number, version = 1) => new ProductReviewLists(stamp(version), Array.from({ length: size }, (_, n) => review(`r${n}`, {})));

describe('holdsEverythingOf', () => {
  it('holds a summary of a lower version, or the very same summary', () => {
    expect(holdsEverythingOf(stamp(5), stamp(4, 9999))).toBe(true);
    expect(holdsEverythingOf(stamp(5, 1000), stamp(5, 1000))).toBe(true);
  });

  it('does not hold a newer version, nor the same version stored again at another time (helpful counts moved)', () => {
    expect(holdsEverythingOf(stamp(4), stamp(5))).toBe(false);
    expect(holdsEverythingOf(stamp(5, 1000), stamp(5, 1001))).toBe(false);
    expect(holdsEverythingOf(stamp(5, 1001), stamp(5, 1000))).toBe(false);
  });
});

describe('ProductReviewLists', () => {
  const day = (n: number) => new Date(Date.UTC(2026, 0, n));
  const reviews = [
    review('a', { helpfulCount: 5, rating: 4, createdAt: day(1) }),
    review('b', { helpfulCount: 9, rating: 2, createdAt: day(2) }),
    review('c', { helpfulCount: 5, rating: 4, createdAt: day(3) }),
    review('d', { helpfulCount: 1, rating: 5, createdAt: day(4) }),
    review('e', { helpfulCount: 7, rating: 4, createdAt: day(5) }),
  ];
  const held = new ProductReviewLists(stamp(1), reviews);

  it('pages a list in each order, with its length', () => {
    expect(ids(held.page('helpful', 0, 0, 2).items)).toEqual(['b', 'e']);
    expect(held.page('helpful', 0, 2, 2)).toEqual({ items: [reviews[2], reviews[0]], total: 5 });
    expect(ids(held.page('newest', 0, 0, 10).items)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(ids(held.page('rating_asc', 0, 0, 10).items)).toEqual(['b', 'e', 'c', 'a', 'd']);
  });

  it('pages one rating, in the order asked for, with that rating\'s count', () => {
    expect(held.page('helpful', 4, 1, 5)).toEqual({ items: [reviews[2], reviews[0]], total: 3 });
    expect(held.page('newest', 4, 0, 1)).toEqual({ items: [reviews[4]], total: 3 });
    expect(held.page('newest', 1, 0, 10)).toEqual({ items: [], total: 0 });
  });

  it('answers an empty page past the end', () => {
    expect(held.page('helpful', 0, 100, 20)).toEqual({ items: [], total: 5 });
  });

  it('leaves the reviews it was given in their order', () => {
    expect(ids(reviews)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('heldBytes', () => {
  it('counts a fixed share per review and two bytes per character of its text', () => {
    expect(heldBytes(review('a', {}))).toBe(REVIEW_HELD_BYTES + 2 * 'Ada'.length + 2 * 'ok'.length);
    expect(heldBytes(review('a', { body: 'x'.repeat(4000) }))).toBe(REVIEW_HELD_BYTES + 2 * 3 + 2 * 4000);
    expect(lists(10).bytes).toBe(10 * heldBytes(review('a', {})));
  });
});

describe('HeldListsLru', () => {
  // Each review of `lists` takes one `each`: a bound of `n * each` holds n of them.
  const each = heldBytes(review('a', {}));

  it('lets the least recently used product go once the memory held passes the bound', () => {
    const lru = new HeldListsLru(10 * each);
    expect(lru.keep('p1', lists(4))).toBe(true);
    expect(lru.keep('p2', lists(4))).toBe(true);
    lru.get('p1');
    expect(lru.keep('p3', lists(4))).toBe(true);
    expect(lru.get('p2')).toBeUndefined();
    expect(lru.get('p1')).toBeDefined();
    expect(lru.get('p3')).toBeDefined();
    expect(lru.reviewsHeld).toBe(8);
    expect(lru.bytesHeld).toBe(8 * each);
    expect(lru.productsHeld).toBe(2);
  });

  it('never holds a product whose reviews alone take more than the bound, however few', () => {
    const lru = new HeldListsLru(10 * each);
    lru.keep('p1', lists(3));
    expect(lru.keep('big', lists(11))).toBe(false);
    const long = new ProductReviewLists({ version: 1, storedAt: 1 }, [review('l', { body: 'x'.repeat(10 * each) })]);
    expect(lru.keep('long', long)).toBe(false);
    expect(lru.get('big')).toBeUndefined();
    expect(lru.get('long')).toBeUndefined();
    expect(lru.reviewsHeld).toBe(3);
  });

  it('says which products could fit at all before they are loaded', () => {
    const lru = new HeldListsLru(10 * REVIEW_HELD_BYTES);
    expect(lru.mayFit(10)).toBe(true);
    expect(lru.mayFit(11)).toBe(false);
    expect(new HeldListsLru(0).mayFit(0)).toBe(false);
  });

  it('replaces a product\'s lists by those of a newer summary, not by older ones', () => {
    const lru = new HeldListsLru(100 * each);
    lru.keep('p1', lists(3, 5));
    expect(lru.keep('p1', lists(4, 4))).toBe(false);
    expect(lru.get('p1')!.stamp.version).toBe(5);
    expect(lru.keep('p1', lists(6, 6))).toBe(true);
    expect(lru.get('p1')!.reviews).toBe(6);
    expect(lru.reviewsHeld).toBe(6);
    expect(lru.bytesHeld).toBe(6 * each);
  });

  it('holds nothing with a bound of 0', () => {
    const lru = new HeldListsLru(0);
    expect(lru.keep('p1', lists(1))).toBe(false);
    expect(lru.keep('p2', lists(0))).toBe(true);
    expect(lru.reviewsHeld).toBe(0);
  });
});
