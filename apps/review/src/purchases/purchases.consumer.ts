import { Inject, Injectable } from '@nestjs/common';
import type { EventOf } from '@shop/contracts';
import { EventConsumer, type EventConsumerProvider } from '@shop/messaging';
import { purchaseId, REVIEW_STORE, type ReviewStore } from '../store';

/**
 * Who may review what: every product of a confirmed order, per shopper, from order.confirmed (the
 * service never asks the order service per request). An upsert keyed by shopper and product, so a
 * redelivered event changes nothing: no inbox needed.
 */
@Injectable()
export class PurchasesConsumer implements EventConsumerProvider {
  constructor(@Inject(REVIEW_STORE) private readonly store: ReviewStore) {}

  consumer(): EventConsumer {
    return new EventConsumer('review.purchases').on('order.confirmed', (event) => this.record(event));
  }

  async record(event: EventOf<'order.confirmed'>): Promise<void> {
    const { orderId, userId, items } = event.payload;
    // Events from before order.confirmed said whose order and what it held carry nothing to record.
    if (!userId || !items?.length) return;
    const at = new Date(event.occurredAt);
    const productIds = [...new Set(items.map((item) => item.productId))];
    await this.store.purchases.bulkWrite(
      productIds.map((productId) => ({
        updateOne: {
          filter: { _id: purchaseId(userId, productId) },
          update: { $setOnInsert: { userId, productId, firstConfirmedAt: at }, $addToSet: { orderIds: orderId } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }
}
