import { Inject, Injectable } from '@nestjs/common';
import type { ProductChangedV1, ProductDeletedV1 } from '@shop/contracts';
import { EventConsumer, type EventConsumerProvider } from '@shop/messaging';
import { SEARCH_BACKEND, type SearchBackend } from './search-backend.provider';
import { SearchDocuments } from './search-documents';

export const SEARCH_INDEX_CONSUMER = 'product-service.search-index';

/**
 * Keeps the search index in step with the product events. Documents carry the product version
 * and the engines refuse older versions, so redelivered or reordered events change nothing.
 */
@Injectable()
export class SearchIndexer implements EventConsumerProvider {
  constructor(
    @Inject(SEARCH_BACKEND) private readonly backend: SearchBackend,
    private readonly documents: SearchDocuments,
  ) {}

  consumer(): EventConsumer {
    return new EventConsumer(SEARCH_INDEX_CONSUMER)
      .on('product.created', (event) => this.onChanged(event.payload))
      .on('product.updated', (event) => this.onChanged(event.payload))
      .on('product.deleted', (event) => this.onDeleted(event.payload));
  }

  private async onChanged({ product }: ProductChangedV1): Promise<void> {
    if (product.status === 'published') await this.backend.upsert(await this.documents.fromSnapshot(product));
    else await this.backend.remove(product.id, product.version);
  }

  private async onDeleted({ productId, version }: ProductDeletedV1): Promise<void> {
    await this.backend.remove(productId, version);
  }
}
