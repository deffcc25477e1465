import { Client, type ClientOptions, errors, type estypes } from '@elastic/elasticsearch';
import { tracingEnabled } from '@shop/observability';
import type { Logger } from 'pino';
import { INDEX_MAPPINGS, INDEX_SETTINGS, type IndexedDocument, type Tombstone, toIndexed, tombstone } from './elasticsearch-mapping';
import { searchRequest, searchResult } from './elasticsearch-query';
import type { SearchBackend, SearchDocument, SearchHit, SearchQuery, SearchResult } from './search-backend';

export interface ElasticsearchSearchOptions {
  node: string;
  /** Credentials (API key or basic) and the CA of an https node: elasticsearchConnection() maps them from the environment. */
  connection?: Pick<ClientOptions, 'auth' | 'tls'>;
  /** Searches and writes go through this alias; the indices behind it are `<alias>-<timestamp>`. */
  indexAlias: string;
  logger?: Logger;
}

// How long a replaced index outlives the alias swap, so that searches already routed to it finish.
const RETIRE_AFTER_MS = 1000;
const CARRY_OVER_PAGE = 500;

function isVersionConflict(error: unknown): boolean {
  return error instanceof errors.ResponseError && error.statusCode === 409;
}

/**
 * The production search engine. Documents are written with external versioning (the product
 * version), so an event that arrives late or twice never overwrites newer content; a removal
 * leaves a versioned tombstone because a plain delete forgets its version after gc_deletes.
 */
export class ElasticsearchSearch implements SearchBackend {
  readonly kind = 'elasticsearch' as const;
  private readonly client: Client;
  private readonly alias: string;
  /**
   * The client's transport makes a span per request whatever the tracer; with tracing off nothing
   * reads them (4 % of this service's CPU under searches). Per request: this client's options do not
   * pass it on to the transport.
   */
  private readonly searchOptions = { openTelemetry: { enabled: tracingEnabled() } };

  constructor(private readonly options: ElasticsearchSearchOptions) {
    this.client = new Client({ node: options.node, ...options.connection });
    this.alias = options.indexAlias;
  }

  async init(): Promise<void> {
    if (await this.client.indices.existsAlias({ name: this.alias })) {
      // Fields added since the index was made (ratings) are added to its mapping; anything else takes a reindex.
      await this.client.indices.putMapping({ index: this.alias, properties: INDEX_MAPPINGS.properties });
      return;
    }
    // Index and alias in one request: nobody ever sees the alias missing its index. (A mapping
    // change to an existing alias takes a reindex.)
    const index = await this.createIndex(true);
    this.options.logger?.info({ index, alias: this.alias }, 'created the search index');
  }

  async upsert(document: SearchDocument): Promise<boolean> {
    return this.write(toIndexed(document));
  }

  async remove(id: string, version: number): Promise<void> {
    await this.write(tombstone(id, version));
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    return searchResult(await this.client.search<SearchHit>(searchRequest(this.alias, query), this.searchOptions), query.locale);
  }

  /**
   * Rebuilds the index from `documents` (the catalogue as it stands) without interrupting
   * searches: fills a new index, then swaps the alias over in one request and drops the old one.
   *
   * Writes keep arriving at the old index meanwhile, from this process or any other. Whatever
   * reached it after the rebuild began is carried over, tombstones included, once before the
   * swap and once after it (for writes that were already under way); versions decide between
   * those and the rebuilt documents.
   */
  async reindex(documents: AsyncIterable<SearchDocument[]>): Promise<void> {
    const previous = await this.indicesBehindAlias();
    const index = await this.createIndex(false);
    let marks: Map<string, number>;
    try {
      marks = await this.writtenUpTo(previous);
      let count = 0;
      for await (const batch of documents) count += await this.bulkLoad(index, batch.map(toIndexed), 'rebuild');
      marks = await this.carryOver(previous, marks, index);
      await this.client.indices.refresh({ index });
      await this.client.indices.updateAliases({
        actions: [...previous.map((old) => ({ remove: { index: old, alias: this.alias } })), { add: { index, alias: this.alias } }],
      });
      this.options.logger?.info({ index, alias: this.alias, documents: count, replaced: previous }, 'reindexed the search index');
    } catch (error) {
      await this.client.indices.delete({ index }).catch(() => undefined);
      throw error;
    }
    // The new index serves now; what follows must not undo that. Searches and writes already
    // routed to the old index get a moment to finish before its last writes are carried over.
    await new Promise((resolve) => setTimeout(resolve, RETIRE_AFTER_MS));
    await this.carryOver(previous, marks, index);
    await this.client.indices.refresh({ index });
    for (const old of previous) {
      await this.client.indices.delete({ index: old }).catch((error: unknown) => {
        this.options.logger?.warn({ err: error, index: old }, 'could not delete a replaced search index');
      });
    }
  }

  async refresh(): Promise<void> {
    await this.client.indices.refresh({ index: this.alias });
  }

  /** Ready when the cluster answers and the alias's index is searchable. */
  async ping(): Promise<void> {
    const health = await this.client.cluster.health({ index: this.alias, timeout: '1s' });
    if (health.status === 'red') throw new Error(`search index ${this.alias} is red`);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Writes unless the index already holds this version or a newer one. */
  private async write(document: IndexedDocument | Tombstone): Promise<boolean> {
    try {
      await this.client.index({ index: this.alias, id: document.id, version: document.version, version_type: 'external', document });
      return true;
    } catch (error) {
      if (isVersionConflict(error)) return false;
      throw error;
    }
  }

  /** Bulk writes with the same rule as write(): a conflict means the index already holds a newer version. */
  private async bulkLoad(index: string, documents: Array<IndexedDocument | Tombstone>, what: string): Promise<number> {
    if (documents.length === 0) return 0;
    const operations = documents.flatMap((document) => [
      { index: { _index: index, _id: document.id, version: document.version, version_type: 'external' as const } },
      document,
    ]);
    const response = await this.client.bulk({ operations });
    const failed = response.items.map((item) => item.index).find((result) => result?.error && result.status !== 409);
    if (failed) throw new Error(`${what} into ${index} failed for ${failed._id}: ${failed.error?.reason ?? failed.error?.type}`);
    return documents.length;
  }

  /** The highest sequence number each index has given a write so far (-1: none yet). */
  private async writtenUpTo(indices: string[]): Promise<Map<string, number>> {
    const marks = new Map<string, number>();
    for (const index of indices) {
      await this.client.indices.refresh({ index });
      const response = await this.client.search({ index, size: 0, aggs: { last: { max: { field: '_seq_no' } } } });
      marks.set(index, (response.aggregations?.last as estypes.AggregationsMaxAggregate | undefined)?.value ?? -1);
    }
    return marks;
  }

  /** Copies what each old index was written after its mark into `into`; returns the new marks. */
  private async carryOver(from: string[], marks: Map<string, number>, into: string): Promise<Map<string, number>> {
    const next = new Map(marks);
    for (const index of from) {
      await this.client.indices.refresh({ index });
      for (;;) {
        const response = await this.client.search<IndexedDocument | Tombstone>({
          index,
          size: CARRY_OVER_PAGE,
          query: { range: { _seq_no: { gt: next.get(index) ?? -1 } } },
          sort: [{ _seq_no: { order: 'asc' } }],
          seq_no_primary_term: true,
        });
        const hits = response.hits.hits;
        if (hits.length === 0) break;
        await this.bulkLoad(into, hits.map((hit) => hit._source!), 'carrying over writes');
        next.set(index, hits[hits.length - 1]!._seq_no!);
        this.options.logger?.info({ from: index, into, documents: hits.length }, 'carried over writes made during the reindex');
      }
    }
    return next;
  }

  private async createIndex(withAlias: boolean): Promise<string> {
    const index = `${this.alias}-${new Date().toISOString().replace(/\D/g, '')}`;
    const request: estypes.IndicesCreateRequest = { index, settings: INDEX_SETTINGS, mappings: INDEX_MAPPINGS };
    if (withAlias) request.aliases = { [this.alias]: {} };
    await this.client.indices.create(request);
    return index;
  }

  private async indicesBehindAlias(): Promise<string[]> {
    try {
      return Object.keys(await this.client.indices.getAlias({ name: this.alias }));
    } catch (error) {
      if (error instanceof errors.ResponseError && error.statusCode === 404) return [];
      throw error;
    }
  }
}
