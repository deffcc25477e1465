import { productV1 } from '@shop/contracts';
import { bindService } from '@shop/grpc';
import { createEventBus, OutboxRelay } from '@shop/messaging';
import type { ServiceSpec } from '@shop/service-kit';
import Redis from 'ioredis';
import { type CacheStore, MemoryCacheStore, RedisCacheStore } from './cache/cache-store';
import type { ProductConfig } from './config';
import { createPrismaClient } from './prisma';
import { ProductGrpcHandlers } from './product.grpc';
import { ProductModule } from './product.module';
import { ElasticsearchSearch } from './search/elasticsearch-search';
import { PostgresSearch } from './search/postgres-search';
import type { SearchBackend } from './search/search-backend';
import { CacheUpdater, PRODUCT_TOPICS, SearchIndexer } from './search/search-indexer';

export const SEARCH_INDEX_CONSUMER = 'product-service.search-index';
export const CACHE_CONSUMER = 'product-service.detail-cache';

/** How the product service boots: catalogue, search engine (Elasticsearch or Postgres), detail cache (Redis or memory). */
export function productService(config: ProductConfig): ServiceSpec<ProductConfig> {
  const prisma = createPrismaClient(config.DATABASE_URL);
  const search: SearchBackend = config.ELASTICSEARCH_URL
    ? new ElasticsearchSearch({ node: config.ELASTICSEARCH_URL, indexAlias: config.ELASTICSEARCH_INDEX })
    : new PostgresSearch({ databaseUrl: config.DATABASE_URL });
  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, commandTimeout: 500, enableOfflineQueue: false }) : undefined;
  redis?.on('error', () => undefined);
  const cache: CacheStore = redis ? new RedisCacheStore(redis) : new MemoryCacheStore();
  return {
    name: 'product',
    config,
    module: (core) => ProductModule.forRoot(core, { prisma, search, cache }),
    grpc: (app) => [bindService('ProductService', productV1.ProductServiceService, app.get(ProductGrpcHandlers))],
    async start(app, logger, metrics) {
      // The search engine being slow or away at start must not stop the catalogue: keep trying in
      // the background; until then searches fail and readiness says why.
      let initialised = false;
      let stopped = false;
      const initSearch = async (attempt = 1): Promise<void> => {
        try {
          await search.init();
          initialised = true;
        } catch (error) {
          logger.warn({ err: error, attempt }, 'search engine not ready yet; retrying');
          await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * attempt)).unref());
          if (!stopped) await initSearch(attempt + 1);
        }
      };
      await Promise.race([initSearch(), new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
      if (!initialised) logger.warn('starting without the search engine; it will be set up when it answers');
      const bus = createEventBus(config, 'product', logger, metrics);
      const relay = new OutboxRelay({ databaseUrl: config.DATABASE_URL, bus, logger });
      relay.start();
      const indexer = app.get(SearchIndexer);
      const cacheUpdater = app.get(CacheUpdater);
      await bus.subscribe({ groupId: SEARCH_INDEX_CONSUMER, topics: PRODUCT_TOPICS, handler: (event) => indexer.handle(event) });
      await bus.subscribe({ groupId: CACHE_CONSUMER, topics: PRODUCT_TOPICS, handler: (event) => cacheUpdater.handle(event) });
      return [
        { stop: async () => void (stopped = true) },
        { stop: () => relay.stop() },
        { stop: () => bus.close() },
        { stop: () => search.close() },
        { stop: async () => void redis?.disconnect() },
        { stop: () => prisma.$disconnect() },
      ];
    },
  };
}
