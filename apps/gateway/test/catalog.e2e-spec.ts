import { userV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { eventually, uniqueName } from '@shop/testing';
import { type Api, type Harness, startHarness } from './platform-harness';

const until = <T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, what?: string) => eventually(probe, timeoutMs, what);

const money = (amount: number) => ({ amount, currency: 'EUR' });

describe('catalogue, search and inventory through the gateway (Elasticsearch, Redis, Kafka)', () => {
  let harness: Harness;
  let admin: Api;
  let adminToken: string;
  let shopperToken: string;
  const run = uniqueName('cat').replace(/_/g, '-');
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    harness = await startHarness({ kafka: true, redis: true, elasticsearch: true });
    admin = harness.api('198.51.100.7');
    const login = await admin('POST', '/api/v1/auth/login', { body: { email: harness.platform.adminEmail, password: harness.platform.adminPassword } });
    adminToken = login.body.accessToken;
    const shopper = harness.api('198.51.100.8');
    const email = `${run}@example.com`;
    await shopper('POST', '/api/v1/auth/register', { body: { email, password: 'correct-horse-42' } });
    shopperToken = (await shopper('POST', '/api/v1/auth/login', { body: { email, password: 'correct-horse-42' } })).body.accessToken;

    const category = async (name: string, parentId?: string) => {
      const response = await admin('POST', '/api/v1/admin/categories', { token: adminToken, body: { name, slug: `${name.toLowerCase()}-${run}`, parentId } });
      expect(response.status).toBe(201);
      return response.body.id as string;
    };
    ids.clothing = await category('Clothing');
    ids.outerwear = await category('Outerwear', ids.clothing);
    ids.jackets = await category('Jackets', ids.outerwear);
    ids.knitwear = await category('Knitwear', ids.clothing);
    const product = async (key: string, name: string, brand: string, categoryId: string, prices: number[], colour: string, status = 'published') => {
      const response = await admin('POST', '/api/v1/admin/products', {
        token: adminToken,
        body: {
          name,
          description: `${name} by ${brand}.`,
          brand,
          categoryIds: [categoryId],
          attributes: { colour },
          images: [`https://images.shop.example/p/${key}.jpg`],
          status,
          variants: prices.map((amount, i) => ({ sku: `${key}-${run}-${i}`.toUpperCase(), price: money(amount), attributes: { size: ['S', 'M', 'L'][i] ?? 'XL' } })),
        },
      });
      expect(response.status).toBe(201);
      ids[key] = response.body.id;
      return response.body;
    };
    await product('shell', 'Alpine Shell Jacket', 'Peakline', ids.jackets, [18900, 19900], 'red');
    await product('down', 'Featherlight Down Jacket', 'Nordwool', ids.jackets, [24900], 'blue');
    await product('parka', 'Harbour Parka', 'Peakline', ids.outerwear, [29900], 'green');
    await product('jumper', 'Merino Crew Jumper', 'Nordwool', ids.knitwear, [8900, 8900, 9400], 'blue');
    await product('cardigan', 'Café Cardigan', 'Maison Crème', ids.knitwear, [7900], 'red');
    await product('secret', 'Secret Prototype Jacket', 'Peakline', ids.jackets, [100], 'red', 'draft');
  });

  afterAll(async () => {
    await harness?.platform.stop();
    await harness?.dropDatabases();
  });

  afterEach(() => {
    if (expect.getState().assertionCalls !== expect.getState().numPassingAsserts) process.stdout.write(`${harness.logs.slice(-30).join('\n')}\n`);
  });

  const search = (query: string) => harness.api('192.0.2.40')('GET', `/api/v1/products?${query}`);
  const inRun = `category=clothing-${run}`;

  it('refuses catalogue and stock administration to shoppers with 403', async () => {
    const shopper = harness.api('192.0.2.41');
    expect((await shopper('POST', '/api/v1/admin/categories', { token: shopperToken, body: { name: 'Hacked' } })).status).toBe(403);
    expect((await shopper('POST', '/api/v1/admin/products', { token: shopperToken, body: {} })).status).toBe(403);
    expect((await shopper('PUT', `/api/v1/admin/inventory/ANY-SKU`, { token: shopperToken, body: { onHand: 5 } })).status).toBe(403);
    expect((await shopper('GET', '/api/v1/admin/products', {})).status).toBe(401);
  });

  it('searches with filters, facets and sorting, published products only', async () => {
    const all = await until(async () => {
      const response = await search(`${inRun}&sort=price_asc&limit=20`);
      return response.body.total === 5 ? response : undefined;
    });
    expect(all.body.items.map((i: { id: string }) => i.id)).toEqual([ids.cardigan, ids.jumper, ids.shell, ids.down, ids.parka]);
    expect(all.body.items[0]).toMatchObject({ name: 'Café Cardigan', price: money(7900) });
    expect(all.body.facets.brand).toEqual([
      { value: 'Nordwool', count: 2 },
      { value: 'Peakline', count: 2 },
      { value: 'Maison Crème', count: 1 },
    ].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)));
    expect(all.body.facets['attr.colour']).toEqual(expect.arrayContaining([{ value: 'red', count: 2 }, { value: 'blue', count: 2 }, { value: 'green', count: 1 }]));

    const outerwear = await search(`category=outerwear-${run}&sort=price_desc`);
    expect(outerwear.body.items.map((i: { id: string }) => i.id)).toEqual([ids.parka, ids.down, ids.shell]);
    const redJackets = await search(`category=${ids.jackets}&attr.colour=red`);
    expect(redJackets.body.items.map((i: { id: string }) => i.id)).toEqual([ids.shell]);
    const priced = await search(`${inRun}&minPrice=8000&maxPrice=20000&sort=price_asc`);
    expect(priced.body.items.map((i: { id: string }) => i.id)).toEqual([ids.jumper, ids.shell]);
    const typo = await search(`${inRun}&q=jakcet`);
    expect(typo.body.items.map((i: { id: string }) => i.id).sort()).toEqual([ids.shell, ids.down].sort());
    const accent = await search(`${inRun}&q=cafe`);
    expect(accent.body.items[0].id).toBe(ids.cardigan);
    const page2 = await search(`${inRun}&sort=price_asc&limit=2&page=2`);
    expect(page2.body).toMatchObject({ total: 5, page: 2, limit: 2 });
    expect(page2.body.items.map((i: { id: string }) => i.id)).toEqual([ids.shell, ids.down]);
  });

  it('answers 400 for a negative price and a page size over the cap, 404 for an unknown category', async () => {
    const negative = await admin('POST', '/api/v1/admin/products', {
      token: adminToken,
      body: { name: 'Bad', description: '', categoryIds: [], status: 'draft', variants: [{ sku: `BAD-${run}`, price: money(-1) }] },
    });
    expect(negative.status).toBe(400);
    expect(negative.body.details).toContain('variants.0.price.amount must not be negative');
    const unknownCategory = await admin('POST', '/api/v1/admin/products', {
      token: adminToken,
      body: { name: 'Lost', description: '', categoryIds: ['00000000-0000-4000-8000-00000000abcd'], status: 'draft', variants: [{ sku: `LOST-${run}`, price: money(100) }] },
    });
    expect(unknownCategory.status).toBe(404);
    expect(unknownCategory.body.message).toMatch(/unknown category/);
    expect((await search('category=no-such-category')).body).toMatchObject({ statusCode: 404, message: 'unknown category: no-such-category' });
    expect((await search('limit=101')).status).toBe(400);
    expect((await search('colour=red')).body.details).toEqual(['unknown query parameter colour']);
    expect((await search('minPrice=-1')).status).toBe(400);
  });

  it('refuses a stale admin update with 409 and never overwrites silently', async () => {
    const read = await admin('GET', `/api/v1/admin/products/${ids.parka}`, { token: adminToken });
    const version = read.body.version;
    const first = await admin('PATCH', `/api/v1/admin/products/${ids.parka}`, { token: adminToken, body: { version, name: 'Harbour Parka II' } });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(version + 1);
    const second = await admin('PATCH', `/api/v1/admin/products/${ids.parka}`, { token: adminToken, body: { version, description: 'overwrite?' } });
    expect(second.status).toBe(409);
    expect((await admin('GET', `/api/v1/admin/products/${ids.parka}`, { token: adminToken })).body).toMatchObject({ name: 'Harbour Parka II', version: version + 1 });
    expect((await admin('PATCH', `/api/v1/admin/products/${ids.parka}`, { token: adminToken, body: { name: 'no version' } })).status).toBe(400);
  });

  it("shows product detail with availability from inventory's stock events, and hides drafts and deleted products", async () => {
    const skus = [`SHELL-${run}-0`.toUpperCase(), `SHELL-${run}-1`.toUpperCase()];
    const set = await admin('PUT', `/api/v1/admin/inventory/${skus[0]}`, { token: adminToken, body: { onHand: 7 } });
    expect(set.body).toEqual({ sku: skus[0], onHand: 7, reserved: 0, available: 7 });
    const adjusted = await admin('POST', `/api/v1/admin/inventory/${skus[0]}/adjustments`, { token: adminToken, body: { delta: -2, reason: 'damaged' } });
    expect(adjusted.body).toMatchObject({ onHand: 5, available: 5 });
    expect((await admin('POST', `/api/v1/admin/inventory/${skus[0]}/adjustments`, { token: adminToken, body: { delta: -50, reason: 'oops' } })).status).toBe(422);
    expect((await admin('PUT', `/api/v1/admin/inventory/${skus[0]}`, { token: adminToken, body: { onHand: -1 } })).status).toBe(400);
    // The product service keeps availability from inventory's events: the page shows the count once they arrive.
    const detail = await until(async () => {
      const response = await harness.api('192.0.2.42')('GET', `/api/v1/products/${ids.shell}`);
      return response.status !== 200 || response.body.variants[0].available === 5 ? response : undefined;
    }, 5000, 'the stock count on the product page');
    expect(detail.status).toBe(200);
    expect(detail.body.variants).toEqual([
      { sku: skus[0], price: money(18900), attributes: { size: 'S' }, available: 5 },
      { sku: skus[1], price: money(19900), attributes: { size: 'M' }, available: 0 },
    ]);
    expect((await harness.api('192.0.2.42')('GET', `/api/v1/products/${ids.secret}`)).status).toBe(404);
    const removed = await admin('DELETE', `/api/v1/admin/products/${ids.cardigan}`, { token: adminToken });
    expect(removed.status).toBe(204);
    expect((await harness.api('192.0.2.42')('GET', `/api/v1/products/${ids.cardigan}`)).status).toBe(404);
    await until(async () => ((await search(`${inRun}&q=cafe`)).body.total === 0 ? true : undefined));
    const categories = await harness.api('192.0.2.42')('GET', '/api/v1/categories');
    expect(categories.body.items).toEqual(expect.arrayContaining([{ id: ids.jackets, name: 'Jackets', slug: `jackets-${run}`, parentId: ids.outerwear, path: [ids.clothing, ids.outerwear, ids.jackets] }]));
  });

  it('answers public catalogue reads with an entity tag and 304, kept fresh by catalogue and stock events', async () => {
    const shopper = harness.api('192.0.2.43');
    const path = `/api/v1/products/${ids.down}`;
    const first = await shopper('GET', path);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const unchanged = await shopper('GET', path, { headers: { 'if-none-match': etag } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers.get('etag')).toBe(etag);

    // The gateway keeps answers for a minute unless an event drops them: a change shows within the event's delivery.
    const sku = `DOWN-${run}-0`.toUpperCase();
    expect((await admin('PUT', `/api/v1/admin/inventory/${sku}`, { token: adminToken, body: { onHand: 42 } })).status).toBe(200);
    const restocked = await until(async () => {
      const response = await shopper('GET', path, { headers: { 'if-none-match': etag } });
      return response.status === 200 && response.body.variants[0].available === 42 ? response : undefined;
    }, 5000, 'the new stock on the product page');
    expect(restocked.headers.get('etag')).not.toBe(etag);

    const version = (await admin('GET', `/api/v1/admin/products/${ids.down}`, { token: adminToken })).body.version;
    expect((await admin('PATCH', `/api/v1/admin/products/${ids.down}`, { token: adminToken, body: { name: 'Featherlight Down Coat', version } })).status).toBe(200);
    await until(async () => ((await shopper('GET', path)).body.name === 'Featherlight Down Coat' ? true : undefined), 5000, 'the new name on the product page');

    const before = await shopper('GET', '/api/v1/categories');
    const created = await admin('POST', '/api/v1/admin/categories', { token: adminToken, body: { name: 'Gilets', slug: `gilets-${run}`, parentId: ids.outerwear } });
    expect(created.status).toBe(201);
    const after = await until(async () => {
      const response = await shopper('GET', '/api/v1/categories', { headers: { 'if-none-match': before.headers.get('etag')! } });
      return response.status === 200 ? response : undefined;
    }, 5000, 'the new category in the tree');
    expect(after.body.items.map((item: { id: string }) => item.id)).toContain(created.body.id);
  });

  it('marks personal answers as not to be stored by any cache, and keeps profiles only until they change', async () => {
    const shopper = harness.api('192.0.2.44');
    const me = await shopper('GET', '/api/v1/users/me', { token: shopperToken });
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');
    // Through the gateway: read at once.
    expect((await shopper('PATCH', '/api/v1/users/me', { token: shopperToken, body: { name: 'Ada' } })).body.name).toBe('Ada');
    expect((await shopper('GET', '/api/v1/users/me', { token: shopperToken })).body.name).toBe('Ada');
    // Past the gateway (another replica, say): read as soon as user.profile_changed arrives.
    const users = new GrpcDownstream('user', userV1.UserServiceService, {
      target: `127.0.0.1:${harness.platform.processes.get('user')!.grpcPort}`,
      deadlineMs: 5000,
      breaker: { failureThreshold: 100, openMs: 1000 },
    });
    try {
      await users.call('updateProfile', { userId: me.body.id, name: 'Ada Lovelace' });
    } finally {
      users.close();
    }
    await until(
      async () => ((await shopper('GET', '/api/v1/users/me', { token: shopperToken })).body.name === 'Ada Lovelace' ? true : undefined),
      5000,
      'the changed profile through the gateway',
    );
  });
});
