import type { FactoryProvider } from '@nestjs/common';
import { elasticsearchConnection } from '@shop/config';
import { APP_CONFIG, ShutdownSequence } from '@shop/service-kit';
import type { ProductConfig } from '../config';
import { ElasticsearchSearch } from './elasticsearch-search';
import { PostgresSearch } from './postgres-search';
import type { SearchBackend } from './search-backend';

export type { SearchBackend } from './search-backend';

export const SEARCH_BACKEND = Symbol('SEARCH_BACKEND');

/** Elasticsearch when ELASTICSEARCH_URL is set, else Postgres full text and trigrams; closed with the other clients. */
export const searchBackendProvider: FactoryProvider<SearchBackend> = {
  provide: SEARCH_BACKEND,
  inject: [APP_CONFIG, ShutdownSequence],
  useFactory: (config: ProductConfig, shutdown: ShutdownSequence) => {
    const search: SearchBackend = config.ELASTICSEARCH_URL
      ? new ElasticsearchSearch({ node: config.ELASTICSEARCH_URL, indexAlias: config.ELASTICSEARCH_INDEX, connection: elasticsearchConnection(config) })
      : new PostgresSearch({ databaseUrl: config.DATABASE_URL });
    shutdown.add('clients', `${search.kind} search`, () => search.close());
    return search;
  },
};
