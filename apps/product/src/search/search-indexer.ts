import { Inject, Injectable } from '@nestjs/common';
import type { IntegrationEvent, ProductChangedV1, ProductDeletedV1 } from '@shop/contracts';
import { ProductCache } from '../cache/product-cache';
import { SEARCH_BACKEND, type SearchBackend } from './search-backend.provider';
import { SearchDocuments } from './search-documents';

export const PRODUCT_TOPICS = ['product.created', 'product.updated', 'product.deleted'];

function assertVersion(event: IntegrationEvent): void {
  if (event.version !== 1) throw new Error(`${event.type} v${event.version} is not understood`);
}

/**
 * Keeps the search index in step with the product events. Documents carry the product version
 * and the engines refuse older versions, so redelivered or reordered events change nothing.
 */
@Injectable()
export class SearchIndexer {
  constructor(
    @Inject(SEARCH_BACKEND) private readonly backend: SearchBackend,
    private readonly documents: SearchDocuments,
  ) {}

  async handle(event: IntegrationEvent): Promise<void> {
    assertVersion(event);
    if (event.type === 'product.deleted') {
      const { productId, version } = event.payload as ProductDeletedV1;
      await this.backend.remove(productId, version);
      return;
    }
    const { product } = event.payload as ProductChangedV1;
    if (product.status === 'published') await this.backend.upsert(await this.documents.fromSnapshot(product));
    else await this.backend.remove(product.id, product.version);
  }
}

/** Writes each product's new state into the detail cache as its events arrive. */
@Injectable()
export class CacheUpdater {
  constructor(private readonly cache: ProductCache) {}

  async handle(event: IntegrationEvent): Promise<void> {
    assertVersion(event);
    if (event.type === 'product.deleted') {
      const { productId, version } = event.payload as ProductDeletedV1;
      await this.cache.onProductChanged(productId, version, null);
      return;
    }
    const { product } = event.payload as ProductChangedV1;
    await this.cache.onProductChanged(product.id, product.version, product.status === 'published' ? product : null);
  }
}
