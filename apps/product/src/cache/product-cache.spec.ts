import type { ProductSnapshotV1 } from '@shop/contracts';
import { ServiceMetrics } from '@shop/observability';
import type { ProductConfig } from '../config';
import { MemoryCacheStore } from './cache-store';
import { ProductCache } from './product-cache';

const config = { PRODUCT_CACHE_TTL_SECONDS: 60 } as ProductConfig;
const snapshot = (version: number) => ({ id: 'p1', version }) as ProductSnapshotV1;

describe('ProductCache', () => {
  it('shares one load between concurrent misses and serves hits afterwards', async () => {
    const cache = new ProductCache(new MemoryCacheStore(), config, new ServiceMetrics('t'));
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((r) => setTimeout(r, 20));
      return snapshot(1);
    };
    const results = await Promise.all(Array.from({ length: 25 }, () => cache.getOrLoad('p1', load)));
    expect(loads).toBe(1);
    expect(results.every((r) => r?.version === 1)).toBe(true);
    await cache.getOrLoad('p1', load);
    expect(loads).toBe(1);
  });

  it('remembers "not found" so unknown ids do not reach the database each time', async () => {
    const cache = new ProductCache(new MemoryCacheStore(), config, new ServiceMetrics('t'));
    let loads = 0;
    const load = async () => {
      loads += 1;
      return null;
    };
    expect(await cache.getOrLoad('missing', load)).toBeNull();
    expect(await cache.getOrLoad('missing', load)).toBeNull();
    expect(loads).toBe(1);
  });

  it('lets an event\u2019s state win over a slower load that read the old row', async () => {
    const store = new MemoryCacheStore();
    const cache = new ProductCache(store, config, new ServiceMetrics('t'));
    let release!: () => void;
    const slowLoad = cache.getOrLoad('p1', () => new Promise((resolve) => (release = () => resolve(snapshot(1)))));
    await new Promise((r) => setTimeout(r, 5));
    await cache.onProductChanged('p1', 2, snapshot(2));
    release();
    await slowLoad;
    expect(JSON.parse((await store.get('product:p1'))!).version).toBe(2);
  });

  it('never lets an older or redelivered event put back an older state, a removal included', async () => {
    const store = new MemoryCacheStore();
    const cache = new ProductCache(store, config, new ServiceMetrics('t'));
    const load = async () => snapshot(99);
    await cache.onProductChanged('p1', 3, snapshot(3));
    await cache.onProductChanged('p1', 2, snapshot(2));
    expect(await cache.getOrLoad('p1', load)).toEqual(snapshot(3));
    // Unpublished at version 4: gone, and the late version 3 does not bring it back.
    await cache.onProductChanged('p1', 4, null);
    await cache.onProductChanged('p1', 3, snapshot(3));
    expect(await cache.getOrLoad('p1', load)).toBeNull();
    // Published again at version 5.
    await cache.onProductChanged('p1', 5, snapshot(5));
    await cache.onProductChanged('p1', 5, snapshot(5));
    expect(await cache.getOrLoad('p1', load)).toEqual(snapshot(5));
  });
});
