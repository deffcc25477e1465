import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@shop/errors';
import { APP_CONFIG } from '@shop/service-kit';
import { CategoriesService } from '../categories/categories.service';
import type { ProductConfig } from '../config';
import { readLocale } from '../i18n/locales';
import type { SearchResult } from './search-backend';
import { SEARCH_BACKEND, type SearchBackend } from './search-backend.provider';
import { type SearchRequest, searchQueryOf } from './search-request';

@Injectable()
export class SearchService {
  constructor(
    @Inject(SEARCH_BACKEND) private readonly backend: SearchBackend,
    @Inject(APP_CONFIG) private readonly config: ProductConfig,
    private readonly categories: CategoriesService,
  ) {}

  /** Checks the request (a page size over the cap is the caller's mistake; an unknown category is not found) and searches. */
  async search(request: SearchRequest): Promise<SearchResult & { page: number; limit: number }> {
    const { query, category: asked } = searchQueryOf(request, this.config.SEARCH_MAX_LIMIT);
    const locale = readLocale(request.locale, this.config.DEFAULT_LOCALE);
    if (locale !== this.config.DEFAULT_LOCALE) query.locale = locale;
    if (asked) {
      const category = await this.categories.resolve(asked);
      if (!category) throw AppError.notFound(`unknown category: ${asked}`);
      query.categoryIds = [category.id];
    }
    const result = await this.backend.search(query);
    return { ...result, page: query.page, limit: query.limit };
  }
}
