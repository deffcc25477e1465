import { createEvent } from '@shop/contracts';
import { stockLevelsIn, tagsInvalidatedBy } from '../catalog/catalogue-events.consumer';
import { AnswerCache, matchesEntityTag } from './answer-cache';

function cacheAt(clock: { now: number }, maxEntries = 100) {
  return new AnswerCache({ maxEntries, maxAgeMs: 60_000, now: () => clock.now });
}

describe('AnswerCache', () => {
  it('keeps an answer until an event drops one of its tags', () => {
    const cache = cacheAt({ now: 0 });
    cache.put('/products/p1', cache.begin(), '{"name":"Mug"}', ['product:p1', 'sku:MUG-1']);
    cache.put('/categories', cache.begin(), '{"items":[]}', ['categories']);
    expect(cache.get('/products/p1')?.body).toBe('{"name":"Mug"}');
    cache.invalidate(['sku:MUG-1']);
    expect(cache.get('/products/p1')).toBeUndefined();
    expect(cache.get('/categories')?.body).toBe('{"items":[]}');
  });

  it('does not keep what was read before an event that overtook the read', () => {
    const cache = cacheAt({ now: 0 });
    const ticket = cache.begin();
    cache.invalidate(['product:p1']);
    cache.put('/products/p1', ticket, '{"name":"old"}', ['product:p1']);
    expect(cache.get('/products/p1')).toBeUndefined();
    // An event about something else does not stop it.
    const next = cache.begin();
    cache.invalidate(['product:p2']);
    cache.put('/products/p1', next, '{"name":"new"}', ['product:p1']);
    expect(cache.get('/products/p1')?.body).toBe('{"name":"new"}');
  });

  it('keeps a read begun after an invalidation', () => {
    const cache = cacheAt({ now: 0 });
    cache.invalidate(['listings']);
    cache.put('/products?q=mug', cache.begin(), '{"total":1}', ['listings']);
    expect(cache.get('/products?q=mug')).toBeDefined();
  });

  it('reads again after the answer’s own bound, or the cache’s, without events', () => {
    const clock = { now: 0 };
    const cache = cacheAt(clock);
    cache.put('/products?q=mug', cache.begin(), '{}', ['listings'], 2000);
    cache.put('/categories', cache.begin(), '{}', ['categories']);
    clock.now = 2000;
    expect(cache.get('/products?q=mug')).toBeUndefined();
    expect(cache.get('/categories')).toBeDefined();
    clock.now = 60_000;
    expect(cache.get('/categories')).toBeUndefined();
  });

  it('holds at most maxEntries, dropping the oldest first', () => {
    const cache = cacheAt({ now: 0 }, 2);
    for (const key of ['/a', '/b', '/c']) cache.put(key, cache.begin(), key, ['listings']);
    expect(cache.size).toBe(2);
    expect(cache.get('/a')).toBeUndefined();
    cache.invalidate(['listings']);
    expect(cache.size).toBe(0);
  });

  it('holds at most maxChars of bodies, dropping the oldest first, and never one larger alone', () => {
    const cache = new AnswerCache({ maxEntries: 100, maxChars: 10, maxAgeMs: 60_000 });
    cache.put('/a', cache.begin(), 'aaaa', ['listings']);
    cache.put('/b', cache.begin(), 'bbbb', ['listings']);
    expect(cache.charsHeld).toBe(8);
    cache.put('/c', cache.begin(), 'cccc', ['listings']);
    expect(cache.get('/a')).toBeUndefined();
    expect(cache.charsHeld).toBe(8);
    // Too large to keep, still answered.
    expect(cache.put('/big', cache.begin(), 'x'.repeat(11), ['listings']).body).toHaveLength(11);
    expect(cache.get('/big')).toBeUndefined();
    expect(cache.get('/b')).toBeDefined();
    // Replacing an answer counts the new body only.
    cache.put('/b', cache.begin(), 'bb', ['listings']);
    expect(cache.charsHeld).toBe(6);
    cache.invalidate(['listings']);
    expect(cache.charsHeld).toBe(0);
  });

  it('tags an answer by its body: the same body, the same tag', () => {
    const cache = cacheAt({ now: 0 });
    const a = cache.put('/x', cache.begin(), '{"a":1}', []);
    const b = cache.put('/y', cache.begin(), '{"a":1}', []);
    const c = cache.put('/z', cache.begin(), '{"a":2}', []);
    expect(a.etag).toBe(b.etag);
    expect(c.etag).not.toBe(a.etag);
  });
});

describe('matchesEntityTag', () => {
  it('compares weakly, in lists and with *', () => {
    expect(matchesEntityTag('W/"abc"', 'W/"abc"')).toBe(true);
    expect(matchesEntityTag('"abc"', 'W/"abc"')).toBe(true);
    expect(matchesEntityTag('"x", W/"abc"', 'W/"abc"')).toBe(true);
    expect(matchesEntityTag('*', 'W/"abc"')).toBe(true);
    expect(matchesEntityTag('W/"abd"', 'W/"abc"')).toBe(false);
    expect(matchesEntityTag(undefined, 'W/"abc"')).toBe(false);
  });
});

describe('tagsInvalidatedBy', () => {
  const order = '00000000-0000-4000-8000-000000000001';
  it('drops a changed product’s page and every listing', () => {
    const product = { id: 'p1', name: '', description: '', brand: '', categoryIds: [], attributes: {}, images: [], status: 'published' as const, variants: [], version: 2, createdAt: '', updatedAt: '' };
    expect(tagsInvalidatedBy(createEvent('product.updated', 'p1', { product }))).toEqual(['product:p1', 'listings']);
    expect(tagsInvalidatedBy(createEvent('product.deleted', 'p1', { productId: 'p1', version: 3 }))).toEqual(['product:p1', 'listings']);
  });

  it('drops the tree and the listings on a category change', () => {
    expect(tagsInvalidatedBy(createEvent('category.changed', 'c1', { categoryId: 'c1', change: 'created' }))).toEqual(['categories', 'listings']);
  });

  it('drops the pages of the SKUs whose availability moved', () => {
    const lines = [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 2 }];
    expect(tagsInvalidatedBy(createEvent('inventory.reserved', order, { orderId: order, reservationId: 'r', lines, expiresAt: '' }))).toEqual(['sku:A', 'sku:B']);
    expect(tagsInvalidatedBy(createEvent('inventory.released', order, { orderId: order, reservationId: 'r', reason: 'x', lines }))).toEqual(['sku:A', 'sku:B']);
    expect(tagsInvalidatedBy(createEvent('inventory.stock_changed', 'A', { sku: 'A', onHand: 1, reserved: 0, available: 1 }))).toEqual(['sku:A']);
  });

  it('drops a product\'s review lists when its reviews change; its page and the listings when its rating does', () => {
    const summary = { productId: 'p1', average: 4.5, count: 2, histogram: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 1 }, version: 7 };
    expect(tagsInvalidatedBy(createEvent('review.summary_changed', 'p1', summary))).toEqual(['reviews:p1']);
    const rated = { id: 'p1', name: '', description: '', brand: '', categoryIds: [], attributes: {}, images: [], status: 'published' as const, variants: [], version: 3, createdAt: '', updatedAt: '', rating: { average: 4.5, count: 2 } };
    expect(tagsInvalidatedBy(createEvent('product.updated', 'p1', { product: rated }))).toEqual(['product:p1', 'listings']);
  });

  it('remembers the stock versions that stock events carry, none from other catalogue events', () => {
    const levels = [{ sku: 'A', onHand: 3, reserved: 1, available: 2, version: 9 }];
    expect(stockLevelsIn(createEvent('inventory.reserved', order, { orderId: order, reservationId: 'r', lines: [{ sku: 'A', quantity: 1 }], expiresAt: '', levels }))).toEqual([{ sku: 'A', available: 2, version: 9 }]);
    expect(stockLevelsIn(createEvent('inventory.stock_changed', 'A', { sku: 'A', onHand: 1, reserved: 0, available: 1, version: 4 }))).toEqual([{ sku: 'A', available: 1, version: 4 }]);
    expect(stockLevelsIn(createEvent('category.changed', 'c1', { categoryId: 'c1', change: 'created' }))).toEqual([]);
  });

  it('drops every product page for a release that does not say its SKUs (events from before they did)', () => {
    expect(tagsInvalidatedBy(createEvent('inventory.released', order, { orderId: order, reservationId: 'r', reason: 'x' }))).toEqual(['availability']);
  });
});
