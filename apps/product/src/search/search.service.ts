import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@shop/errors';
import { APP_CONFIG } from '@shop/service-kit';
import { CategoriesService } from '../categories/categories.service';
import type { ProductConfig } from '../config';
import type { SearchQuery, SearchResult, SearchSort } from './search-backend';
import { SEARCH_BACKEND, type SearchBackend } from './search-backend.provider';

export interface SearchRequest {
  q: string;
  category: string;
  minPrice?: number;
  maxPrice?: number;
  attributes: Array<{ name: string; values: string[] }>;
  sort: string;
  page: number;
  limit: number;
}

const SORTS: SearchSort[] = ['relevance', 'price_asc', 'price_desc', 'newest'];
export const DEFAULT_PAGE_SIZE = 20;

@Injectable()
export class SearchService {
  constructor(
    @Inject(SEARCH_BACKEND) private readonly backend: SearchBackend,
    @Inject(APP_CONFIG) private readonly config: ProductConfig,
    private readonly categories: CategoriesService,
  ) {}

  /** Checks the request (an unknown category or a page size over the cap is the caller's mistake) and searches. */
  async search(request: SearchRequest): Promise<SearchResult & { page: number; limit: number }> {
    const problems: string[] = [];
    const page = request.page || 1;
    const limit = request.limit || DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(page) || page < 1 || page > 10_000) problems.push('page must be a whole number from 1 to 10000');
    if (!Number.isInteger(limit) || limit < 1 || limit > this.config.SEARCH_MAX_LIMIT) {
      problems.push(`limit must be a whole number from 1 to ${this.config.SEARCH_MAX_LIMIT}`);
    }
    const sort = (request.sort || (request.q ? 'relevance' : 'newest')) as SearchSort;
    if (!SORTS.includes(sort)) problems.push(`sort must be one of ${SORTS.join(', ')}`);
    for (const [name, value] of [['minPrice', request.minPrice], ['maxPrice', request.maxPrice]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) problems.push(`${name} must be a whole, non-negative number of minor units`);
    }
    if (request.minPrice !== undefined && request.maxPrice !== undefined && request.minPrice > request.maxPrice) {
      problems.push('minPrice must not exceed maxPrice');
    }
    if (request.q.length > 200) problems.push('q must be at most 200 characters');
    if (problems.length > 0) throw AppError.invalid(problems.join('; '));

    const query: SearchQuery = { q: request.q.trim() || undefined, sort, page, limit, minPrice: request.minPrice, maxPrice: request.maxPrice };
    if (request.category) {
      const category = await this.categories.resolve(request.category);
      if (!category) throw AppError.invalid(`unknown category: ${request.category}`);
      query.categoryIds = [category.id];
    }
    if (request.attributes.length > 0) {
      query.attributes = {};
      for (const filter of request.attributes) {
        const name = filter.name.trim().toLowerCase();
        query.attributes[name] = [...(query.attributes[name] ?? []), ...filter.values];
      }
    }
    const result = await this.backend.search(query);
    return { ...result, page, limit };
  }
}
