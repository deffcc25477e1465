import type { productV1 } from '@shop/contracts';
import type { SearchResult } from './search-backend';

/** A search engine's answer as the gRPC message. */
export function toSearchProductsResponse(result: SearchResult & { page: number; limit: number }): productV1.SearchProductsResponse {
  return {
    items: result.items.map((hit) => ({
      id: hit.id,
      name: hit.name,
      brand: hit.brand,
      price: { amount: hit.price, currency: hit.currency },
      image: hit.image,
      categoryIds: hit.categoryIds,
      createdAt: hit.createdAt,
      rating: { average: hit.ratingAverage, count: hit.ratingCount },
    })),
    total: result.total,
    page: result.page,
    limit: result.limit,
    facets: Object.entries(result.facets).map(([name, buckets]) => ({ name, buckets })),
  };
}
