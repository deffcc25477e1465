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
    // Many orders' purchases in one write: the upserts commute, so a batch needs no order.
    return new EventConsumer('review.purchases').onBatch('order.confirmed', (events) => this.record(events));
  }

  async record(events: Array<EventOf<'order.confirmed'>>): Promise<void> {
    const writes = events.flatMap((event) => {
      const { orderId, userId, items } = event.payload;
      // Events from before order.confirmed said whose order and what it held carry nothing to record.
      if (!userId || !items?.length) return [];
      const at = new Date(event.occurredAt);
      return [...new Set(items.map((item) => item.productId))].map((productId) => ({
        updateOne: {
          filter: { _id: purchaseId(userId, productId) },
          update: { $setOnInsert: { userId, productId, firstConfirmedAt: at }, $addToSet: { orderIds: orderId } },
          upsert: true,
        },
      }));
    });
    if (writes.length > 0) await this.store.purchases.bulkWrite(writes, { ordered: false });
  }
}
