import { eventually, uniqueName } from '@shop/testing';
import { type Api, type Harness, startHarness } from './platform-harness';

const until = <T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, what?: string) => eventually(probe, timeoutMs, what);

interface Shopper {
  token: string;
  call: Api;
}

describe('reviews, ratings and catalogue languages through the gateway on the embedded default (Postgres event log, MongoDB wire server)', () => {
  let harness: Harness;
  let admin: Api;
  let adminToken: string;
  const run = uniqueName('rv').replace(/_/g, '-');
  const SKU = `MUG-${run}`.toUpperCase();
  const OTHER_SKU = `CUP-${run}`.toUpperCase();
  let productId: string;
  let otherId: string;
  let categoryId: string;
  let shoppers = 0;

  beforeAll(async () => {
    harness = await startHarness({ kafka: false, redis: false, env: { RATE_LIMIT_AUTH_PER_IP: '1000', REVIEW_BLOCKED_WORDS: 'scam', REVIEW_SUMMARY_INTERVAL_MS: '200' } });
    admin = harness.api('198.51.100.70');
    adminToken = (await admin('POST', '/api/v1/auth/login', { body: { email: harness.platform.adminEmail, password: harness.platform.adminPassword } })).body.accessToken;
    categoryId = (await admin('POST', '/api/v1/admin/categories', { token: adminToken, body: { name: `Mugs ${run}` } })).body.id;
    const create = async (name: string, sku: string) => {
      const product = await admin('POST', '/api/v1/admin/products', {
        token: adminToken,
        body: { name, description: 'Holds coffee.', brand: 'Potter', categoryIds: [categoryId], status: 'published', variants: [{ sku, price: { amount: 1500, currency: 'EUR' }, attributes: {} }] },
      });
      expect(product.status).toBe(201);
      expect((await admin('PUT', `/api/v1/admin/inventory/${sku}`, { token: adminToken, body: { onHand: 50 } })).status).toBe(200);
      return product.body.id as string;
    };
    productId = await create('Speckled Stoneware Mug', SKU);
    otherId = await create('Plain Stoneware Cup', OTHER_SKU);
  });

  afterAll(async () => {
    await harness?.platform.stop();
    await harness?.dropDatabases();
  });

  afterEach(() => {
    if (expect.getState().assertionCalls !== expect.getState().numPassingAsserts) process.stdout.write(`${harness.logs.slice(-40).join('\n')}\n`);
  });

  async function shopper(): Promise<Shopper> {
    shoppers += 1;
    const call = harness.api(`10.8.${shoppers}.7`);
    const email = `${run}-${shoppers}@example.com`;
    expect((await call('POST', '/api/v1/auth/register', { body: { email, password: 'correct-horse-42', name: `Shopper ${shoppers}` } })).status).toBe(201);
    const login = await call('POST', '/api/v1/auth/login', { body: { email, password: 'correct-horse-42' } });
    return { token: login.body.accessToken, call };
  }

  /** Buys one mug and pays; resolves once the order is CONFIRMED. */
  async function buy(who: Shopper, key: string): Promise<void> {
    expect((await who.call('POST', '/api/v1/cart/items', { token: who.token, body: { sku: SKU, quantity: 1 } })).status).toBe(201);
    const placed = await who.call('POST', '/api/v1/orders', {
      token: who.token,
      headers: { 'idempotency-key': `${run}-${key}` },
      body: { shippingAddress: { line1: '1 Clay Row', city: 'Stoke', postalCode: 'ST1 1AA', country: 'GB' } },
    });
    expect(placed.status).toBe(202);
    await until(async () => ((await who.call('GET', `/api/v1/orders/${placed.body.id}`, { token: who.token })).body.status === 'AWAITING_PAYMENT' ? true : undefined), 30_000, 'awaiting payment');
    expect((await who.call('POST', `/api/v1/orders/${placed.body.id}/test-payment`, { token: who.token, body: { outcome: 'succeeded' } })).status).toBe(200);
    await until(async () => ((await who.call('GET', `/api/v1/orders/${placed.body.id}`, { token: who.token })).body.status === 'CONFIRMED' ? true : undefined), 30_000, 'confirmed');
  }

  /** Posts a review once the review service has heard of the purchase (403 until then). */
  const review = (who: Shopper, body: unknown) =>
    until(async () => {
      const answer = await who.call('POST', `/api/v1/products/${productId}/reviews`, { token: who.token, body });
      return answer.status === 403 ? undefined : answer;
    }, 30_000, 'review accepted');

  const reviews = (query = '') => admin('GET', `/api/v1/products/${productId}/reviews${query}`);

  it('buy, review once, see the summary on the product page and the sort in search; moderation hides; helpful once', async () => {
    const ada = await shopper();
    const bo = await shopper();
    const cy = await shopper();

    // Not bought: 403.
    const early = await ada.call('POST', `/api/v1/products/${productId}/reviews`, { token: ada.token, body: { rating: 5, body: 'Lovely' } });
    expect(early.status).toBe(403);

    await Promise.all([buy(ada, 'ada'), buy(bo, 'bo'), buy(cy, 'cy')]);
    const first = await review(ada, { rating: 5, title: 'Lovely <mug>', body: 'Keeps coffee hot & looks great.' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ productId, authorName: 'Shopper 1', rating: 5, title: 'Lovely <mug>', body: 'Keeps coffee hot & looks great.', verifiedPurchase: true, status: 'published', helpfulCount: 0 });
    expect(first.body).not.toHaveProperty('userId');
    expect(Object.keys(first.body).sort()).toEqual(['authorName', 'body', 'createdAt', 'helpfulCount', 'id', 'productId', 'rating', 'status', 'title', 'updatedAt', 'verifiedPurchase']);

    // Once: 409; bad input: 400.
    expect((await ada.call('POST', `/api/v1/products/${productId}/reviews`, { token: ada.token, body: { rating: 4, body: 'again' } })).status).toBe(409);
    expect((await bo.call('POST', `/api/v1/products/${productId}/reviews`, { token: bo.token, body: { rating: 6, body: 'x' } })).status).toBe(400);
    expect((await bo.call('POST', `/api/v1/products/${productId}/reviews`, { token: bo.token, body: { rating: 4, body: 'nul \u0000 here' } })).status).toBe(400);
    expect((await bo.call('POST', `/api/v1/products/${productId}/reviews`, { token: bo.token, body: { rating: 4, body: 'x'.repeat(4001) } })).status).toBe(400);

    const second = await review(bo, { rating: 2, body: 'Chipped on arrival.' });
    expect(second.status).toBe(201);
    const linked = await review(cy, { rating: 1, body: 'Better ones at https://elsewhere.example' });
    expect(linked.body.status).toBe('pending');

    // The summary counts published reviews only.
    const listed = await until(async () => {
      const answer = await reviews('?sort=rating_desc');
      return answer.body.summary.count === 2 ? answer : undefined;
    }, 20_000, 'summary of two');
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ total: 2, page: 1, limit: 20, summary: { average: 3.5, count: 2, histogram: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 } } });
    expect(listed.body.items.map((item: { rating: number }) => item.rating)).toEqual([5, 2]);
    expect((await reviews('?rating=2')).body.items.map((item: { id: string }) => item.id)).toEqual([second.body.id]);
    expect((await reviews('?sort=random')).status).toBe(400);

    // The rating reaches the product page and search.
    const page = await until(async () => {
      const answer = await admin('GET', `/api/v1/products/${productId}`);
      return answer.body.rating?.count === 2 ? answer : undefined;
    }, 20_000, 'rating on the product page');
    expect(page.body.rating).toEqual({ average: 3.5, count: 2 });
    const sorted = await until(async () => {
      const answer = await admin('GET', `/api/v1/products?category=${categoryId}&sort=rating`);
      return answer.body.items?.[0]?.rating?.count === 2 ? answer : undefined;
    }, 20_000, 'rating in search');
    expect(sorted.body.items.map((item: { id: string }) => item.id)).toEqual([productId, otherId]);
    expect(sorted.body.items[1].rating).toEqual({ average: 0, count: 0 });
    const rated = await admin('GET', `/api/v1/products?category=${categoryId}&minRating=3`);
    expect(rated.body.items.map((item: { id: string }) => item.id)).toEqual([productId]);

    // Moderation: the pending one is listed for staff only; publishing it counts it, hiding it drops it again.
    expect((await ada.call('GET', '/api/v1/admin/reviews?status=pending', { token: ada.token })).status).toBe(403);
    const pending = await admin('GET', '/api/v1/admin/reviews?status=pending', { token: adminToken });
    expect(pending.body.items.map((item: { id: string }) => item.id)).toContain(linked.body.id);
    expect((await admin('PATCH', `/api/v1/admin/reviews/${linked.body.id}`, { token: adminToken, body: { status: 'published', reason: 'a fair comparison' } })).status).toBe(200);
    await until(async () => ((await reviews()).body.summary.count === 3 ? true : undefined), 20_000, 'three');
    const hidden = await admin('PATCH', `/api/v1/admin/reviews/${second.body.id}`, { token: adminToken, body: { status: 'hidden', reason: 'not about the product' } });
    expect(hidden.body).toMatchObject({ status: 'hidden', moderationReason: 'not about the product' });
    const afterHide = await until(async () => {
      const answer = await reviews();
      return answer.body.summary.count === 2 ? answer : undefined;
    }, 20_000, 'hidden review gone');
    expect(afterHide.body.items.map((item: { id: string }) => item.id)).not.toContain(second.body.id);
    await until(async () => ((await admin('GET', `/api/v1/products/${productId}`)).body.rating?.count === 2 ? true : undefined), 20_000, 'page follows');

    // Helpful: once per shopper, not on one's own (422); the helpful order follows.
    expect((await bo.call('POST', `/api/v1/reviews/${linked.body.id}/helpful`, { token: bo.token })).body.helpfulCount).toBe(1);
    expect((await bo.call('POST', `/api/v1/reviews/${linked.body.id}/helpful`, { token: bo.token })).body.helpfulCount).toBe(1);
    expect((await cy.call('POST', `/api/v1/reviews/${linked.body.id}/helpful`, { token: cy.token })).status).toBe(422);
    await until(async () => ((await reviews('?sort=helpful')).body.items[0]?.id === linked.body.id ? true : undefined), 20_000, 'helpful first');

    // Edit and delete one's own; another's is 404.
    expect((await bo.call('PATCH', `/api/v1/reviews/${first.body.id}`, { token: bo.token, body: { rating: 1 } })).status).toBe(404);
    expect((await ada.call('PATCH', `/api/v1/reviews/${first.body.id}`, { token: ada.token, body: {} })).status).toBe(400);
    expect((await ada.call('PATCH', `/api/v1/reviews/${first.body.id}`, { token: ada.token, body: { rating: 4 } })).body).toMatchObject({ rating: 4, body: 'Keeps coffee hot & looks great.' });
    expect((await ada.call('DELETE', `/api/v1/reviews/${first.body.id}`, { token: ada.token })).status).toBe(204);
    const remaining = await until(async () => {
      const answer = await reviews();
      return answer.body.summary.count === 1 ? answer : undefined;
    }, 20_000, 'deleted review gone');
    expect(remaining.body.summary).toMatchObject({ average: 1, count: 1 });
  });

  it('answers the catalogue in the language asked for (?locale=, else Accept-Language with q-values), falling back to the default, and searches it', async () => {
    const put = (path: string, body: unknown, token = adminToken) => admin('PUT', path, { token, body });
    const translated = await put(`/api/v1/admin/products/${otherId}/translations/fr-FR`, { name: 'Tasse en grès unie', description: 'Pour le café du matin.' });
    expect(translated.status).toBe(200);
    expect(translated.body).toEqual({ locale: 'fr', name: 'Tasse en grès unie', description: 'Pour le café du matin.' });
    expect((await put(`/api/v1/admin/categories/${categoryId}/translations/de`, { name: `Becher ${run}` })).status).toBe(200);
    // The default locale's text is the product's own, and tlh is no language of the catalogue: there is no such translation.
    expect((await put(`/api/v1/admin/products/${otherId}/translations/en`, { name: 'x' })).status).toBe(404);
    expect((await put(`/api/v1/admin/products/${otherId}/translations/tlh`, { name: 'x' })).status).toBe(404);
    expect((await put(`/api/v1/admin/products/${otherId}/translations/fr;x`, { name: 'x' })).status).toBe(400);
    const shopperToken = (await shopper()).token;
    expect((await put(`/api/v1/admin/products/${otherId}/translations/fr`, { name: 'x' }, shopperToken)).status).toBe(403);

    const read = (path: string, language?: string) => admin('GET', path, { headers: language ? { 'accept-language': language } : {} });
    const french = await until(async () => {
      const answer = await read(`/api/v1/products/${otherId}`, 'fr-CH, fr;q=0.9, en;q=0.8');
      return answer.body.name === 'Tasse en grès unie' ? answer : undefined;
    }, 20_000, 'French product page');
    expect(french.body).toMatchObject({ description: 'Pour le café du matin.', variants: [{ sku: OTHER_SKU, price: { amount: 1500, currency: 'EUR' } }] });
    expect(french.headers.get('content-language')).toBe('fr');
    expect(french.headers.get('vary')).toMatch(/Accept-Language/i);
    // Not translated into German: the default language, and it says so.
    const german = await read(`/api/v1/products/${otherId}`, 'de-DE, de;q=0.9');
    expect(german.body.name).toBe('Plain Stoneware Cup');
    expect(german.headers.get('content-language')).toBe('en');
    // ?locale= wins over Accept-Language; a language the catalogue lacks falls back; q=0 refuses one.
    expect((await read(`/api/v1/products/${otherId}?locale=fr`, 'de')).body.name).toBe('Tasse en grès unie');
    expect((await read(`/api/v1/products/${otherId}`, 'ja, fr;q=0')).headers.get('content-language')).toBe('en');
    expect((await read(`/api/v1/products/${otherId}?locale=fr%3Bx`)).status).toBe(400);

    const categories = await until(async () => {
      const answer = await read('/api/v1/categories', 'de');
      return answer.body.items.some((item: { name: string }) => item.name === `Becher ${run}`) ? answer : undefined;
    }, 20_000, 'German category name');
    expect(categories.headers.get('content-language')).toBe('de');
    expect((await read('/api/v1/categories', 'fr')).body.items.find((item: { id: string }) => item.id === categoryId).name).toBe(`Mugs ${run}`);

    // Search matches the chosen locale's text, stemmed ("tasses" finds "Tasse"), and names hits in it.
    const found = await until(async () => {
      const answer = await read(`/api/v1/products?q=tasses%20gres&category=${categoryId}`, 'fr');
      return answer.body.total === 1 ? answer : undefined;
    }, 20_000, 'French search');
    expect(found.body.items[0]).toMatchObject({ id: otherId, name: 'Tasse en grès unie' });
    expect(found.headers.get('content-language')).toBe('fr');
    expect((await read(`/api/v1/products?q=tasses&category=${categoryId}`, 'de')).body.total).toBe(0);
    // Errors stay English whatever the language asked for.
    expect((await read('/api/v1/products?sort=random', 'fr')).body.message).toMatch(/^sort must be one of/);
  });
});
