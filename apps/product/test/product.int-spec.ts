import { status } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { createEvent, type IntegrationEvent, productV1, type ProductSnapshotV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { KafkaEventBus } from '@shop/messaging';
import { createLogger, ServiceMetrics } from '@shop/observability';
import { type RunningService, startService } from '@shop/service-kit';
import { createTestDatabase, eventually, grpcError, type TestDatabase, testInfra, uniqueName } from '@shop/testing';
import Redis from 'ioredis';
import { Client } from 'pg';
import { productConfigSchema } from '../src/config';
import { RedisCacheStore } from '../src/cache/cache-store';
import { ProductCache } from '../src/cache/product-cache';
import { ProductModule } from '../src/product.module';

type ProductClient = GrpcDownstream<typeof productV1.ProductServiceService>;

const variant = (sku: string, amount: number, attributes: Record<string, string> = {}) => ({ sku, price: { amount, currency: 'EUR' }, attributes });

describe('product service against real Postgres, Kafka and Redis', () => {
  let db: TestDatabase;
  let service: RunningService;
  let products: ProductClient;
  let events: KafkaEventBus;
  let redis: Redis;
  const seen: IntegrationEvent[] = [];
  const prefix = uniqueName('pit');

  beforeAll(async () => {
    db = await createTestDatabase('product_it');
    const infra = testInfra();
    const config = productConfigSchema.parse({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: infra.kafkaBrokers,
      // Topics of its own: its consumers start from the beginning, and what other runs left on the
      // shared topics (a bench's 100,000 product events) would come first.
      EVENT_GROUP_PREFIX: `${prefix}.`,
      EVENT_TOPIC_PREFIX: `${prefix}.`,
      REDIS_URL: infra.redisUrl,
      HOST: '127.0.0.1',
      GRPC_PORT: '0',
      HTTP_PORT: '0',
      SEARCH_MAX_LIMIT: '50',
    });
    service = await startService({ name: 'product', config, module: ProductModule });
    products = new GrpcDownstream('product', productV1.ProductServiceService, {
      target: `127.0.0.1:${service.grpcPort}`,
      deadlineMs: 10_000,
      breaker: { failureThreshold: 100, openMs: 1000 },
    });
    events = new KafkaEventBus({ brokers: infra.kafkaBrokers.split(','), clientId: prefix, logger: createLogger('pit', 'silent') });
    await events.subscribe({ groupId: `${prefix}.observer`, topics: ['product.created', 'product.updated', 'product.deleted'].map((topic) => `${prefix}.${topic}`), handler: async (e) => void seen.push(e) });
    redis = new Redis(infra.redisUrl);
  });

  afterAll(async () => {
    products?.close();
    redis?.disconnect();
    await events?.close();
    await service?.stop();
    await db?.drop();
  });

  async function category(name: string, parentId?: string) {
    return products.call('createCategory', { name: `${name} ${prefix}`, parentId });
  }

  async function create(overrides: Partial<productV1.ProductInput> = {}) {
    const sku = uniqueName('SKU').toUpperCase();
    return products.call('createProduct', {
      product: {
        name: 'Merino Crew Jumper',
        description: 'Soft and warm.',
        brand: 'Nordwool',
        categoryIds: [],
        attributes: { material: 'wool' },
        images: ['https://images.shop.example/p/jumper.jpg'],
        status: 'published',
        variants: [variant(`${sku}-M`, 8900, { size: 'M' }), variant(`${sku}-L`, 9400, { size: 'L' })],
        ...overrides,
      },
    });
  }

  it('builds a category tree with paths and refuses unknown parents and duplicate slugs', async () => {
    const clothing = await category('Clothing');
    const knitwear = await category('Knitwear', clothing.id);
    expect(knitwear.path).toEqual([clothing.id, knitwear.id]);
    expect(knitwear.slug).toBe(`knitwear-${prefix.replace(/_/g, '-')}`);
    expect((await grpcError(products.call('createCategory', { name: 'Orphan', parentId: '00000000-0000-4000-8000-000000000099' }))).code).toBe(status.NOT_FOUND);
    expect((await grpcError(products.call('createCategory', { name: `Knitwear ${prefix}` }))).code).toBe(status.ALREADY_EXISTS);
    expect((await grpcError(products.call('deleteCategory', { id: clothing.id }))).code).toBe(status.FAILED_PRECONDITION);
  });

  it('creates a product with variants and emits product.created through the outbox', async () => {
    const knitwear = await category('Jumpers');
    const created = await create({ categoryIds: [knitwear.id] });
    expect(created).toMatchObject({ version: 1, status: 'published', categoryIds: [knitwear.id], attributes: { material: 'wool' } });
    expect(created.variants.map((v) => v.price)).toEqual([{ amount: 8900, currency: 'EUR' }, { amount: 9400, currency: 'EUR' }]);
    const event = await eventually(async () => seen.find((e) => e.aggregateId === created.id && e.type === 'product.created'), 30_000, 'product.created');
    expect(event.payload).toMatchObject({ product: { id: created.id, version: 1 } });
  });

  it('refuses bad input without writing anything', async () => {
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const count = async () => (await pg.query('SELECT (SELECT count(*) FROM products)::int AS p, (SELECT count(*) FROM outbox_events)::int AS o')).rows[0];
    const before = await count();
    expect((await grpcError(create({ variants: [variant('NEG-1', -100)] }))).details).toMatch(/price.amount/);
    expect((await grpcError(create({ categoryIds: ['00000000-0000-4000-8000-000000000098'] }))).details).toMatch(/unknown category/);
    const first = await create();
    expect((await grpcError(create({ variants: [variant(first.variants[0]!.sku, 100)] }))).code).toBe(status.ALREADY_EXISTS);
    const after = await count();
    await pg.end();
    expect(after.p).toBe(before.p + 1);
    expect(after.o).toBe(before.o + 1);
  });

  it('imports many products in one batch, each as createProduct would make it, or none of the batch', async () => {
    const knitwear = await category('Imported knitwear');
    const hats = await category('Imported hats', knitwear.id);
    const sku = uniqueName('IMP').toUpperCase();
    const input = (n: number, categoryIds: string[], skus = [`${sku}-${n}-S`, `${sku}-${n}-M`]): productV1.ProductInput => ({
      name: `Imported ${n}`,
      description: `Number ${n}.`,
      brand: 'Nordwool',
      categoryIds,
      attributes: { material: 'wool' },
      images: [],
      status: n === 2 ? 'draft' : 'published',
      variants: skus.map((each, i) => variant(each, 1000 + i, { size: i === 0 ? 'S' : 'M' })),
    });
    const { ids } = await products.call('importProducts', { products: [input(1, [knitwear.id]), input(2, []), input(3, [hats.id, knitwear.id])] });
    expect(ids).toHaveLength(3);
    const third = await products.call('getProduct', { id: ids[2]!, includeDrafts: true, locale: '' });
    expect(third).toMatchObject({ name: 'Imported 3', version: 1, status: 'published', categoryIds: [hats.id, knitwear.id].sort(), attributes: { material: 'wool' } });
    expect(third.variants.map((v) => [v.sku, v.price?.amount, v.attributes])).toEqual([
      [`${sku}-3-S`, 1000, { size: 'S' }],
      [`${sku}-3-M`, 1001, { size: 'M' }],
    ]);
    // Its event carries what a read gives.
    const event = await eventually(async () => seen.find((e) => e.aggregateId === ids[2] && e.type === 'product.created'), 30_000, 'product.created of an import');
    expect(event.payload).toMatchObject({ product: { id: ids[2], version: 1, categoryIds: third.categoryIds, createdAt: third.createdAt } });
    expect((await products.call('getVariantsBySku', { skus: [`${sku}-2-S`] })).items).toEqual([expect.objectContaining({ productId: ids[1], purchasable: false })]);

    // A SKU taken (here by the batch before) or an unknown category: nothing of the batch is written.
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const count = async () => (await pg.query('SELECT (SELECT count(*) FROM products)::int AS p, (SELECT count(*) FROM outbox_events)::int AS o')).rows[0];
    const before = await count();
    expect((await grpcError(products.call('importProducts', { products: [input(4, []), input(5, [], [`${sku}-1-S`])] }))).code).toBe(status.ALREADY_EXISTS);
    expect((await grpcError(products.call('importProducts', { products: [input(6, []), input(7, ['00000000-0000-4000-8000-000000000097'])] }))).details).toMatch(/unknown category/);
    expect(await count()).toEqual(before);
    await pg.end();
  });

  it('tells carts the current name and price of SKUs, and whether they can be bought', async () => {
    const live = await create();
    const draft = await create({ status: 'draft' });
    const { items } = await products.call('getVariantsBySku', { skus: [live.variants[0]!.sku, draft.variants[0]!.sku, 'NO-SUCH-SKU'] });
    expect(items).toHaveLength(2);
    expect(items.find((i) => i.sku === live.variants[0]!.sku)).toMatchObject({ productId: live.id, productName: 'Merino Crew Jumper', price: { amount: 8900, currency: 'EUR' }, purchasable: true });
    expect(items.find((i) => i.sku === draft.variants[0]!.sku)).toMatchObject({ purchasable: false });
    // A deleted product's SKUs stay known (carts show them) but can no longer be bought.
    await products.call('deleteProduct', { id: live.id });
    const afterDelete = await products.call('getVariantsBySku', { skus: [live.variants[0]!.sku] });
    expect(afterDelete.items).toEqual([expect.objectContaining({ sku: live.variants[0]!.sku, purchasable: false })]);
  });

  it('refuses a stale update with ABORTED and keeps the first writer\u2019s change', async () => {
    const product = await create();
    const first = await products.call('updateProduct', { id: product.id, version: 1, name: 'Merino Jumper (first)' });
    expect(first.version).toBe(2);
    const stale = await grpcError(products.call('updateProduct', { id: product.id, version: 1, name: 'Merino Jumper (second)' }));
    expect(stale.code).toBe(status.ABORTED);
    expect((await products.call('getProduct', { id: product.id, includeDrafts: true })).name).toBe('Merino Jumper (first)');
    // Two concurrent writers with the same version: exactly one wins.
    const results = await Promise.allSettled(
      ['a', 'b', 'c'].map((suffix) => products.call('updateProduct', { id: product.id, version: 2, name: `racer ${suffix}` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('hides drafts and deleted products from the shop, soft-deleting with an event', async () => {
    const draft = await create({ status: 'draft' });
    expect((await grpcError(products.call('getProduct', { id: draft.id, includeDrafts: false }))).code).toBe(status.NOT_FOUND);
    expect((await products.call('getProduct', { id: draft.id, includeDrafts: true })).status).toBe('draft');
    const live = await create();
    await products.call('deleteProduct', { id: live.id, version: 1 });
    expect((await grpcError(products.call('getProduct', { id: live.id, includeDrafts: true }))).code).toBe(status.NOT_FOUND);
    await eventually(async () => seen.find((e) => e.aggregateId === live.id && e.type === 'product.deleted'), 30_000, 'product.deleted');
  });

  it('serves product detail from Redis, updated by the product events', async () => {
    const product = await create();
    // Written by the product.created handler (not by a read), so no late created event can overwrite what follows.
    const cached = await eventually(async () => (await redis.get(`product:${product.id}`)) ?? undefined, 30_000, 'cached by product.created');
    expect(JSON.parse(cached)).toMatchObject({ id: product.id, version: 1 });
    expect(await redis.pttl(`product:${product.id}`)).toBeGreaterThan(0);
    await products.call('updateProduct', { id: product.id, version: 1, name: 'Renamed jumper' });
    // The update event writes the new state into the cache.
    await eventually(async () => (JSON.parse((await redis.get(`product:${product.id}`)) ?? '{}').version === 2 ? true : undefined), 30_000, 'cache updated by the event');
    expect((await products.call('getProduct', { id: product.id, includeDrafts: false })).name).toBe('Renamed jumper');
    await products.call('updateProduct', { id: product.id, version: 2, status: 'draft' });
    await eventually(async () => (JSON.parse((await redis.get(`product:${product.id}`)) ?? '{}').gone === true ? true : undefined), 30_000, 'unpublished product cached as gone');
    // A late copy of the version 2 event does not bring the unpublished product back.
    const cache = new ProductCache(new RedisCacheStore(redis), productConfigSchema.parse({ DATABASE_URL: db.url, KAFKA_BROKERS: 'unused:1' }), new ServiceMetrics('cache-test'));
    await cache.onProductChanged(product.id, 2, { ...(JSON.parse(cached) as ProductSnapshotV1), version: 2 });
    expect(JSON.parse((await redis.get(`product:${product.id}`))!)).toEqual({ gone: true, version: 3 });
    expect((await grpcError(products.call('getProduct', { id: product.id, includeDrafts: false }))).code).toBe(status.NOT_FOUND);
  });

  it('lets one loader reach the database when many readers in several replicas miss the same key at once', async () => {
    // Two caches over the same Redis stand for two replicas of the service.
    const config = productConfigSchema.parse({ DATABASE_URL: db.url, KAFKA_BROKERS: 'unused:1' });
    const replicas = [1, 2].map(() => new ProductCache(new RedisCacheStore(redis), config, new ServiceMetrics('cache-test')));
    const product = await create();
    // The service's own product.created handler writes the entry; the miss is made after it, not raced by it.
    await eventually(async () => ((await redis.exists(`product:${product.id}`)) ? true : undefined), 30_000, 'entry written by product.created');
    await redis.del(`product:${product.id}`);
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 100)); // a slow database
      return (await products.call('getProduct', { id: product.id, includeDrafts: true })) as ProductSnapshotV1;
    };
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => replicas[i % 2]!.getOrLoad(product.id, load)));
    expect(loads).toBe(1);
    expect(new Set(results.map((r) => r?.id))).toEqual(new Set([product.id]));
  });

  it('keeps the rating the review service announces, newest version only, and tells everyone by product.updated', async () => {
    // Filtered by a category of this run, so the answer is about this product whatever else the index holds.
    const shelf = await category('Rated scarves');
    const product = await create({ name: 'Rated Alpaca Scarf', categoryIds: [shelf.id] });
    const announce = async (average: number, count: number, version: number) => {
      const event = createEvent('review.summary_changed', product.id, { productId: product.id, average, count, histogram: { '1': 0, '2': 0, '3': 0, '4': count, '5': 0 }, version });
      await events.publish([{ topic: `${prefix}.review.summary_changed`, key: product.id, value: JSON.stringify(event), headers: {} }]);
    };
    await announce(4.5, 2, 7);
    const rated = await eventually(async () => {
      const current = await products.call('getProduct', { id: product.id, includeDrafts: true });
      return current.rating?.count === 2 ? current : undefined;
    }, 30_000, 'rating kept');
    expect(rated).toMatchObject({ rating: { average: 4.5, count: 2 }, version: 2 });
    await eventually(async () => (seen.some((e) => e.type === 'product.updated' && (e.payload as { product: { id: string; rating?: { count: number } } }).product.id === product.id) ? true : undefined), 30_000, 'product.updated');
    // An older announcement arriving late changes nothing; a newer one does.
    await announce(1, 1, 3);
    await announce(4, 3, 9);
    await eventually(async () => ((await products.call('getProduct', { id: product.id, includeDrafts: true })).rating?.count === 3 ? true : undefined), 30_000, 'newer rating');
    const found = await eventually(async () => {
      const result = await products.call('searchProducts', { q: 'alpaca', category: shelf.id, attributes: [], sort: 'rating', minRating: 4, page: 1, limit: 10 });
      return result.items[0]?.rating?.count === 3 ? result : undefined;
    }, 30_000, 'rating in search');
    expect(found.items[0]).toMatchObject({ id: product.id, rating: { average: 4, count: 3 } });
    expect((await products.call('searchProducts', { q: 'alpaca', category: shelf.id, attributes: [], sort: '', minRating: 4.5, page: 1, limit: 10 })).total).toBe(0);
  });

  it("keeps each SKU's availability from inventory's stock events, newest version only, and puts it on the product page without asking inventory", async () => {
    const product = await create({ name: 'Stocked Wool Beanie' });
    const [m, l] = product.variants.map((v) => v.sku) as [string, string];
    // No inventory service runs here: only its events can say what is in stock.
    const publish = (...list: IntegrationEvent[]) =>
      events.publish(list.map((event) => ({ topic: `${prefix}.${event.type}`, key: event.aggregateId, value: JSON.stringify(event), headers: {} })));
    const level = (sku: string, onHand: number, reserved: number, version: number) => ({ sku, onHand, reserved, available: onHand - reserved, version });
    const reserved = (orderId: string, levels: ReturnType<typeof level>[]) =>
      createEvent('inventory.reserved', orderId, { orderId, reservationId: randomUUID(), lines: levels.map(({ sku }) => ({ sku, quantity: 1 })), expiresAt: new Date().toISOString(), levels });
    const availability = async () => (await products.call('getProduct', { id: product.id, includeDrafts: false, withAvailability: true })).availability;
    const shows = (sku: string, available: number) => async () => ((await availability()).find((a) => a.sku === sku)?.available === available ? true : undefined);

    expect(await availability()).toEqual([{ sku: m, available: 0, version: 0 }, { sku: l, available: 0, version: 0 }]);
    expect((await products.call('getProduct', { id: product.id, includeDrafts: false })).availability).toEqual([]);
    await publish(createEvent('inventory.stock_changed', m, level(m, 10, 0, 1)), createEvent('inventory.stock_changed', l, level(l, 4, 0, 1)));
    await eventually(shows(l, 4), 30_000, 'stock counts kept');
    await eventually(shows(m, 10), 30_000, 'stock counts kept');

    // A reservation (keyed by its order, on a topic of its own) moves M on to version 2.
    const order = randomUUID();
    const first = reserved(order, [level(m, 10, 3, 2)]);
    await publish(first);
    await eventually(shows(m, 7), 30_000, 'reservation kept');
    // A late stock count of version 1, the reservation heard twice and a count from before versions
    // take nothing back. After each, a newer level of L on the same topic and key (so in the same
    // partition, behind it) shows it was handled.
    const stillSeven = async () => expect((await availability()).find((a) => a.sku === m)).toEqual({ sku: m, available: 7, version: 2 });
    await publish(createEvent('inventory.stock_changed', m, level(m, 10, 0, 1)), createEvent('inventory.stock_changed', m, level(l, 6, 0, 2)));
    await eventually(shows(l, 6), 30_000, 'the level after the late count');
    await stillSeven();
    await publish(first, reserved(order, [level(l, 6, 1, 3)]));
    await eventually(shows(l, 5), 30_000, 'the level after the repeated reservation');
    await stillSeven();
    await publish(createEvent('inventory.stock_changed', m, { sku: m, onHand: 1, reserved: 0, available: 1 }), createEvent('inventory.stock_changed', m, level(l, 6, 2, 4)));
    await eventually(shows(l, 4), 30_000, 'the level after the count without a version');
    expect(await availability()).toEqual([{ sku: m, available: 7, version: 2 }, { sku: l, available: 4, version: 4 }]);
  });

  it('keeps translations of products and categories, answers in the locale asked for with fallback, and searches them', async () => {
    const knitwear = await category('Scarves');
    const product = await create({ name: 'Chunky Wool Scarf', description: 'Long and warm.', categoryIds: [knitwear.id] });
    expect(await products.call('setProductTranslation', { id: product.id, locale: 'fr-FR', name: 'Écharpe épaisse en laine', description: 'Longue et chaude.' })).toEqual({
      locale: 'fr',
      name: 'Écharpe épaisse en laine',
      description: 'Longue et chaude.',
    });
    await products.call('setCategoryTranslation', { id: knitwear.id, locale: 'fr', name: `Tricots ${prefix}` });
    expect((await grpcError(products.call('setProductTranslation', { id: product.id, locale: 'en', name: 'x', description: '' }))).details).toMatch(/default locale/);
    expect((await grpcError(products.call('setProductTranslation', { id: product.id, locale: 'tlh', name: 'x', description: '' }))).code).toBe(status.INVALID_ARGUMENT);

    const french = await products.call('getProduct', { id: product.id, includeDrafts: false, locale: 'fr' });
    expect(french).toMatchObject({ name: 'Écharpe épaisse en laine', description: 'Longue et chaude.', locale: 'fr', version: 2 });
    expect(await products.call('getProduct', { id: product.id, includeDrafts: false, locale: 'de' })).toMatchObject({ name: 'Chunky Wool Scarf', locale: 'en' });
    expect(await products.call('getProduct', { id: product.id, includeDrafts: false })).toMatchObject({ name: 'Chunky Wool Scarf', locale: 'en' });
    const categories = await products.call('listCategories', { locale: 'fr' });
    expect(categories.items.find((c) => c.id === knitwear.id)?.name).toBe(`Tricots ${prefix}`);
    expect((await products.call('listCategories', {})).items.find((c) => c.id === knitwear.id)?.name).toBe(knitwear.name);

    const found = await eventually(async () => {
      const result = await products.call('searchProducts', { q: 'écharpes laine', category: knitwear.id, attributes: [], sort: '', page: 1, limit: 10, locale: 'fr' });
      return result.total === 1 ? result : undefined;
    }, 30_000, 'French name searchable');
    expect(found.items[0]).toMatchObject({ id: product.id, name: 'Écharpe épaisse en laine' });
  });

  it('searches published products through the Postgres engine (embedded default)', async () => {
    const outer = await category('Outerwear');
    const jackets = await category('Jackets', outer.id);
    const jacket = await create({ name: 'Alpine Shell Jacket', categoryIds: [jackets.id], attributes: { colour: 'red' } });
    await create({ name: 'Alpine Draft Jacket', categoryIds: [jackets.id], status: 'draft' });
    const found = await eventually(async () => {
      const result = await products.call('searchProducts', { q: 'alpine', category: outer.slug, attributes: [], sort: '', page: 1, limit: 10 });
      return result.total === 1 ? result : undefined;
    }, 30_000, 'indexed');
    expect(found.items[0]).toMatchObject({ id: jacket.id, price: { amount: 8900, currency: 'EUR' } });
    expect(found.facets.find((f) => f.name === 'attr.colour')?.buckets).toEqual([{ value: 'red', count: 1 }]);
    expect((await grpcError(products.call('searchProducts', { q: '', category: 'no-such-category', attributes: [], sort: '', page: 1, limit: 10 }))).details).toMatch(/unknown category/);
    expect((await grpcError(products.call('searchProducts', { q: '', category: '', attributes: [], sort: '', page: 1, limit: 51 }))).details).toMatch(/limit/);
    expect((await grpcError(products.call('searchProducts', { q: '', category: '', attributes: [], sort: 'cheapest', page: 1, limit: 10 }))).code).toBe(status.INVALID_ARGUMENT);
  });
});
