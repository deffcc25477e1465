import type { FactoryProvider } from '@nestjs/common';
import { redisTlsOptions } from '@shop/config';
import { APP_CONFIG, ShutdownSequence } from '@shop/service-kit';
import Redis from 'ioredis';
import type { ProductConfig } from '../config';
import { type CacheStore, MemoryCacheStore, RedisCacheStore } from './cache-store';
import { CACHE_STORE } from './product-cache';

/** The detail cache in Redis when REDIS_URL is set (shared by every replica), else in this process's memory. */
export const cacheStoreProvider: FactoryProvider<CacheStore> = {
  provide: CACHE_STORE,
  inject: [APP_CONFIG, ShutdownSequence],
  useFactory: (config: ProductConfig, shutdown: ShutdownSequence) => {
    if (!config.REDIS_URL) return new MemoryCacheStore();
    // Fail fast rather than queue: the cache being away only sends reads to the database.
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, commandTimeout: 500, enableOfflineQueue: false, ...redisTlsOptions(config) });
    redis.on('error', () => undefined);
    shutdown.add('clients', 'redis', () => redis.disconnect());
    return new RedisCacheStore(redis);
  },
};
