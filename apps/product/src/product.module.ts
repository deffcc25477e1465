import { Module } from '@nestjs/common';
import { productV1 } from '@shop/contracts';
import { HEALTH_CHECKS, HealthController } from '@shop/health';
import { MessagingModule } from '@shop/messaging';
import { postgresHealthCheck } from '@shop/persistence';
import { MetricsController, provideGrpcService, providePostgres } from '@shop/service-kit';
import { Availability } from './availability/availability';
import type { CacheStore } from './cache/cache-store';
import { cacheStoreProvider } from './cache/cache-store.provider';
import { CacheUpdater } from './cache/cache-updater';
import { CACHE_STORE, ProductCache } from './cache/product-cache';
import { CategoriesService } from './categories/categories.service';
import { CategoryCache } from './categories/category-cache';
import { productHealthChecks } from './health-checks';
import { createPrismaClient, PRISMA, type PrismaClient } from './prisma';
import { ProductGrpcHandlers } from './product.grpc';
import { ProductsService } from './products/products.service';
import { RatingsConsumer } from './products/ratings.consumer';
import { SEARCH_BACKEND, type SearchBackend, searchBackendProvider } from './search/search-backend.provider';
import { SearchDocuments } from './search/search-documents';
import { SearchIndexer } from './search/search-indexer';
import { SearchSetup } from './search/search-setup';
import { SearchService } from './search/search.service';

/**
 * The product service: categories and products over gRPC, product.* events through the outbox;
 * search (Elasticsearch or Postgres) and the detail cache (Redis or memory) fed by those events;
 * each SKU's availability fed by inventory's stock events.
 */
@Module({
  imports: [MessagingModule.forRoot({ outbox: true, consumers: [SearchIndexer, CacheUpdater, RatingsConsumer, Availability, CategoryCache] })],
  controllers: [HealthController, MetricsController],
  providers: [
    ...providePostgres(PRISMA, createPrismaClient),
    searchBackendProvider,
    cacheStoreProvider,
    {
      provide: HEALTH_CHECKS,
      inject: [PRISMA, SEARCH_BACKEND, CACHE_STORE],
      useFactory: (prisma: PrismaClient, search: SearchBackend, cache: CacheStore) => productHealthChecks(postgresHealthCheck(prisma), search, cache),
    },
    provideGrpcService('ProductService', productV1.ProductServiceService, ProductGrpcHandlers),
    SearchSetup,
    CategoryCache,
    CategoriesService,
    ProductsService,
    ProductCache,
    SearchDocuments,
    SearchIndexer,
    CacheUpdater,
    RatingsConsumer,
    Availability,
    SearchService,
    ProductGrpcHandlers,
  ],
})
export class ProductModule {}
