import type { HealthCheck } from '@shop/health';
import type { CacheStore } from './cache/cache-store';
import type { SearchBackend } from './search/search-backend';

export const SEARCH_DEGRADED_IMPACT = 'searches fail until the search engine answers; products, categories and prices are still served';
export const CACHE_DEGRADED_IMPACT = 'product details are read from the database, uncached, until the cache answers';

/**
 * Product's readiness: its database it cannot do without; the search engine and the detail cache
 * it can. Without Elasticsearch only searches fail, and without Redis reads go to the database
 * (ProductCache treats an unreachable store as a miss), while order and the gateway keep getting
 * prices and products. So those two degrade readiness instead of taking every replica out of its
 * Service (issue 12): /health/ready stays 200, says "degraded" and what is lost, and
 * shop_health_status{status="degraded"} shows it on /metrics.
 */
export function productHealthChecks(database: HealthCheck, search: Pick<SearchBackend, 'kind' | 'ping'>, cache: Pick<CacheStore, 'ping'>): HealthCheck[] {
  return [
    database,
    // "search", not the engine's name: with Postgres search "postgres" would shadow the database's check.
    { name: 'search', degradedImpact: `${SEARCH_DEGRADED_IMPACT} (${search.kind})`, check: () => search.ping() },
    { name: 'cache', degradedImpact: CACHE_DEGRADED_IMPACT, check: () => cache.ping() },
  ];
}
