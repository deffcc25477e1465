import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { HEALTH_CHECKS, HealthController } from '@shop/health';
import { postgresHealthCheck } from '@shop/persistence';
import { MetricsController } from '@shop/service-kit';
import { CACHE_STORE, ProductCache } from './cache/product-cache';
import type { CacheStore } from './cache/cache-store';
import { CategoriesService } from './categories/categories.service';
import { PRISMA, type PrismaClient } from './prisma';
import { ProductGrpcHandlers } from './product.grpc';
import { ProductsService } from './products/products.service';
import type { SearchBackend } from './search/search-backend';
import { SEARCH_BACKEND } from './search/search-backend.provider';
import { SearchDocuments } from './search/search-documents';
import { CacheUpdater, SearchIndexer } from './search/search-indexer';
import { SearchService } from './search/search.service';

export interface ProductDependencies {
  prisma: PrismaClient;
  search: SearchBackend;
  cache: CacheStore;
}

@Module({})
export class ProductModule {
  static forRoot(core: Provider[], deps: ProductDependencies): DynamicModule {
    return {
      module: ProductModule,
      controllers: [HealthController, MetricsController],
      providers: [
        ...core,
        { provide: PRISMA, useValue: deps.prisma },
        { provide: SEARCH_BACKEND, useValue: deps.search },
        { provide: CACHE_STORE, useValue: deps.cache },
        {
          provide: HEALTH_CHECKS,
          useValue: [postgresHealthCheck(deps.prisma), { name: deps.search.kind, check: () => deps.search.ping() }, { name: 'cache', check: () => deps.cache.ping() }],
        },
        CategoriesService,
        ProductsService,
        ProductCache,
        SearchDocuments,
        SearchIndexer,
        CacheUpdater,
        SearchService,
        ProductGrpcHandlers,
      ],
    };
  }
}
