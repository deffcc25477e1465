import type { productV1 } from '@shop/contracts';

/** A search's answer as shoppers get it: facets by name. */
export function toSearchView(result: productV1.SearchProductsResponse) {
  return {
    items: result.items,
    total: result.total,
    page: result.page,
    limit: result.limit,
    facets: Object.fromEntries(result.facets.map((facet) => [facet.name, facet.buckets])),
  };
}
