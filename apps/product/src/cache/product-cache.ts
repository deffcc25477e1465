import { Inject, Injectable } from '@nestjs/common';
import type { ProductSnapshotV1 } from '@shop/contracts';
import { APP_CONFIG, METRICS } from '@shop/service-kit';
import type { ServiceMetrics } from '@shop/observability';
import type { Counter } from 'prom-client';
import type { ProductConfig } from '../config';
import type { CacheStore } from './cache-store';

export const CACHE_STORE = Symbol('CACHE_STORE');

const LOCK_TTL_MS = 5000;
const WAIT_FOR_LOADER_MS = 1000;
// A miss for a product that does not exist is cached briefly, so a flood of bad ids does not reach the database.
const NOT_FOUND_TTL_MS = 10_000;
const NOT_FOUND = 'null';

/**
 * Cache-aside for product detail. Entries expire after a TTL as a safety net; product events
 * write the product's new state (or "gone") as soon as it changes, and a loader only fills an
 * empty key, so a slow load never puts back an older version over the event's. On a miss only one loader per key reaches the
 * database: callers in this process share one load, and across processes a short Redis lock
 * lets one load while the others wait for its result.
 */
@Injectable()
export class ProductCache {
  private readonly loading = new Map<string, Promise<ProductSnapshotV1 | null>>();
  private readonly lookups: Counter<'result'>;

  constructor(
    @Inject(CACHE_STORE) private readonly store: CacheStore,
    @Inject(APP_CONFIG) private readonly config: ProductConfig,
    @Inject(METRICS) metrics: ServiceMetrics,
  ) {
    this.lookups = metrics.counter('shop_product_cache_lookups_total', 'Product detail cache lookups by result', ['result']);
  }

  async getOrLoad(id: string, load: () => Promise<ProductSnapshotV1 | null>): Promise<ProductSnapshotV1 | null> {
    const key = `product:${id}`;
    const cached = await this.read(key);
    if (cached !== undefined) {
      this.lookups.inc({ result: 'hit' });
      return cached;
    }
    this.lookups.inc({ result: 'miss' });
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.loadOnce(key, load).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  /** Drops the entry right after this process changed the product; the event then writes the new state. */
  async invalidate(id: string): Promise<void> {
    await this.store.del(`product:${id}`).catch(() => undefined);
  }

  /**
   * The product's state after the event of `version`: the snapshot while published, else gone (a
   * versioned tombstone). Events come on several topics and may be redelivered, so an older one
   * never replaces a newer state.
   */
  async onProductChanged(id: string, version: number, snapshot: ProductSnapshotV1 | null): Promise<void> {
    const value = snapshot ? JSON.stringify(snapshot) : JSON.stringify({ gone: true, version });
    await this.store.setIfNewer(`product:${id}`, value, version, this.config.PRODUCT_CACHE_TTL_SECONDS * 1000);
  }

  private async loadOnce(key: string, load: () => Promise<ProductSnapshotV1 | null>): Promise<ProductSnapshotV1 | null> {
    const lockKey = `lock:${key}`;
    const locked = await this.store.tryLock(lockKey, LOCK_TTL_MS).catch(() => true);
    if (!locked) {
      // Another process is loading this key: wait briefly for its result before loading ourselves.
      const deadline = Date.now() + WAIT_FOR_LOADER_MS;
      while (Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        const value = await this.read(key);
        if (value !== undefined) return value;
      }
    }
    try {
      const value = await load();
      const ttl = value ? this.config.PRODUCT_CACHE_TTL_SECONDS * 1000 : NOT_FOUND_TTL_MS;
      await this.store.setIfAbsent(key, value ? JSON.stringify(value) : NOT_FOUND, ttl).catch(() => undefined);
      return value;
    } finally {
      if (locked) await this.store.unlock(lockKey).catch(() => undefined);
    }
  }

  /** undefined: not cached (or the store is down); null: cached as not found. */
  private async read(key: string): Promise<ProductSnapshotV1 | null | undefined> {
    const raw = await this.store.get(key).catch(() => undefined);
    if (raw === undefined) return undefined;
    if (raw === NOT_FOUND) return null;
    const entry = JSON.parse(raw) as ProductSnapshotV1 | { gone: true };
    return 'gone' in entry ? null : entry;
  }
}
