import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@shop/errors';
import type { ServiceMetrics } from '@shop/observability';
import { APP_CONFIG, METRICS } from '@shop/service-kit';
import type { Histogram } from 'prom-client';
import { CategoriesService } from '../categories/categories.service';
import type { ProductConfig } from '../config';
import { readLocale } from '../i18n/locales';
import type { SearchResult } from './search-backend';
import { SEARCH_BACKEND, type SearchBackend } from './search-backend.provider';
import { type SearchRequest, searchQueryOf } from './search-request';

@Injectable()
export class SearchService {
  /** Where a search's time goes in this service (the benches print it): resolving its category, and the engine's answer. */
  private readonly categoryStage: Histogram.Internal<'stage'>;
  private readonly engineStage: Histogram.Internal<'stage'>;

  constructor(
    @Inject(SEARCH_BACKEND) private readonly backend: SearchBackend,
    @Inject(APP_CONFIG) private readonly config: ProductConfig,
    private readonly categories: CategoriesService,
    @Inject(METRICS) metrics: ServiceMetrics,
  ) {
    const stages = metrics.histogram('shop_product_search_stage_seconds', 'Time a search spends resolving its category and in the search engine (its client included)', ['stage']);
    this.categoryStage = stages.labels('category');
    this.engineStage = stages.labels('engine');
  }

  /** Checks the request (a page size over the cap is the caller's mistake; an unknown category is not found) and searches. */
  async search(request: SearchRequest): Promise<SearchResult & { page: number; limit: number }> {
    const { query, category: asked } = searchQueryOf(request, this.config.SEARCH_MAX_LIMIT);
    const locale = readLocale(request.locale, this.config.DEFAULT_LOCALE);
    if (locale !== this.config.DEFAULT_LOCALE) query.locale = locale;
    if (asked) {
      const endCategory = this.categoryStage.startTimer();
      const category = await this.categories.resolve(asked);
      endCategory();
      if (!category) throw AppError.notFound(`unknown category: ${asked}`);
      query.categoryIds = [category.id];
    }
    const endEngine = this.engineStage.startTimer();
    const result = await this.backend.search(query);
    endEngine();
    return { ...result, page: query.page, limit: query.limit };
  }
}
