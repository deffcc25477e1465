import { Inject, Injectable } from '@nestjs/common';
import { createEvent, type EventOf } from '@shop/contracts';
import { EventConsumer, type EventConsumerProvider, writeOutbox } from '@shop/messaging';
import { PRISMA, type PrismaClient } from '../prisma';
import { PRODUCT_WITH_DETAILS, toSnapshot } from './product-snapshot';
import { isUuid } from '@shop/validation';

export const RATINGS_CONSUMER = 'product-service.ratings';

/**
 * Keeps each product's rating as the review service announces it (review.summary_changed). A
 * change of rating is a change of the product as shoppers see it: its version goes up and
 * product.updated goes out through the outbox in the same transaction, so the search index, the
 * detail cache and the gateways' copies follow by the paths they already have. An announcement
 * older than the one kept (its version, the sum of the reviews' revisions, is lower) or heard
 * twice changes nothing, so no inbox is needed.
 */
@Injectable()
export class RatingsConsumer implements EventConsumerProvider {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  consumer(): EventConsumer {
    return new EventConsumer(RATINGS_CONSUMER).on('review.summary_changed', async (event) => void (await this.apply(event)));
  }

  async apply(event: EventOf<'review.summary_changed'>): Promise<boolean> {
    const { productId, average, count, version } = event.payload;
    // Product ids are uuids here; a summary for anything else concerns no product of ours.
    if (!isUuid(productId)) return false;
    return this.prisma.$transaction(async (tx) => {
      // A newer announcement that leaves average and count as they were (a helpful vote, an edit of
      // the text) only moves rating_version: the product itself did not change.
      const [row] = await tx.$queryRaw<Array<{ changed: boolean }>>`
        WITH before AS (SELECT id, rating_average, rating_count FROM products WHERE id = ${productId}::uuid AND rating_version < ${version} AND deleted_at IS NULL FOR UPDATE)
        UPDATE products p
           SET rating_average = ${average}, rating_count = ${count}, rating_version = ${version},
               version = p.version + CASE WHEN before.rating_average <> ${average} OR before.rating_count <> ${count} THEN 1 ELSE 0 END,
               updated_at = CASE WHEN before.rating_average <> ${average} OR before.rating_count <> ${count} THEN now() ELSE p.updated_at END
          FROM before WHERE p.id = before.id
        RETURNING before.rating_average <> ${average} OR before.rating_count <> ${count} AS changed`;
      if (!row?.changed) return false;
      const product = await tx.product.findUniqueOrThrow({ where: { id: productId }, include: PRODUCT_WITH_DETAILS });
      await writeOutbox(tx, [createEvent('product.updated', productId, { product: toSnapshot(product) })]);
      return true;
    });
  }
}
