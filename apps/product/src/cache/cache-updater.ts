import { Injectable } from '@nestjs/common';
import type { ProductChangedV1, ProductDeletedV1 } from '@shop/contracts';
import { EventConsumer, type EventConsumerProvider } from '@shop/messaging';
import { ProductCache } from './product-cache';

export const CACHE_CONSUMER = 'product-service.detail-cache';

/** Writes each product's new state into the detail cache as its events arrive. */
@Injectable()
export class CacheUpdater implements EventConsumerProvider {
  constructor(private readonly cache: ProductCache) {}

  consumer(): EventConsumer {
    return new EventConsumer(CACHE_CONSUMER)
      .on('product.created', (event) => this.onChanged(event.payload))
      .on('product.updated', (event) => this.onChanged(event.payload))
      .on('product.deleted', (event) => this.onDeleted(event.payload));
  }

  private async onChanged({ product }: ProductChangedV1): Promise<void> {
    await this.cache.onProductChanged(product.id, product.version, product.status === 'published' ? product : null);
  }

  private async onDeleted({ productId, version }: ProductDeletedV1): Promise<void> {
    await this.cache.onProductChanged(productId, version, null);
  }
}
