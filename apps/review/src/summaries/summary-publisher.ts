import { type ReviewSummaryChangedV1, createEvent } from '@shop/contracts';
import { type EventBus, toOutboxRow } from '@shop/messaging';
import { BatchSweeper } from '@shop/service-kit';
import type { Logger } from 'pino';
import type { ReviewStore, SummaryDocument } from '../store';
import { dueEntries, outboxBatch } from './outbox-entries';

type Histogram = [number, number, number, number, number];

/** The summary of a product's published reviews from per-rating counts. */
export function summarise(counts: Histogram): { average: number; count: number } {
  const count = counts.reduce((sum, n) => sum + n, 0);
  const total = counts.reduce((sum, n, index) => sum + n * (index + 1), 0);
  return { count, average: count === 0 ? 0 : Math.round((total / count) * 100) / 100 };
}

/**
 * Publishes review.summary_changed for every product whose reviews changed, from the summary outbox
 * (see SummaryOutboxEntry: its own collection, never the reviews, so this loop writes nothing a
 * shopper's write could collide with). This loop (on every replica, leaderless) reads the entries
 * due, and per product:
 *  1. reads `version` = the sum of `rev` over all the product's reviews (deleted ones stay, as
 *     tombstones, so it only ever grows), THEN the per-rating counts of its published reviews;
 *  2. keeps the summary unless a newer version is stored, and publishes it with that version;
 *  3. deletes the entries it read (and the intents they confirm).
 * A change entry is written after its review write landed, so the counts read in 1 hold it. A
 * process that dies anywhere in between leaves the entries, and the next round (here or on another
 * replica) publishes again: at least once, never lost. Two replicas racing can publish an older
 * summary after a newer one, but never with a higher version, and the round that follows the last
 * change reads the highest version together with the final counts (it reads the version first), so
 * consumers that keep the highest version converge on the truth.
 *
 * A write wakes the loop at once (no settling time: with nothing of its own in the reviews, a round
 * amid a burst of writes costs a summary more, no write); writes during a round get one more round.
 *
 * Only per-key `$group`/`$sum` is used: FerretDB v1.24 lacks `$avg`, `$max` and `$sum: 1` under `_id: null`.
 */
export class SummaryPublisher extends BatchSweeper {
  constructor(
    private readonly store: ReviewStore,
    private readonly bus: EventBus,
    logger: Logger,
    intervalMs: number,
  ) {
    super({ what: 'rating summaries to publish', intervalMs, logger, batchSize: 200, processBatch: (limit) => this.publishPending(limit) });
  }

  async publishPending(limit: number): Promise<number> {
    const entries = await this.store.summaryOutbox.find(dueEntries(new Date()), { projection: { _id: 1, productId: 1, intentId: 1 } }).limit(limit).toArray();
    if (entries.length === 0) return 0;
    const batch = outboxBatch(entries);
    const summaries = await Promise.all(batch.productIds.map((productId) => this.compute(productId)));
    const publishable: SummaryDocument[] = [];
    for (const summary of summaries) {
      const { _id, ...fields } = summary;
      await this.store.summaries.updateOne({ _id }, { $setOnInsert: { ...fields, version: -1 } }, { upsert: true });
      const kept = await this.store.summaries.updateOne({ _id, version: { $lte: summary.version } }, { $set: fields });
      // A newer summary was kept meanwhile (another replica): nothing older goes out.
      if (kept.matchedCount === 1) publishable.push(summary);
    }
    if (publishable.length > 0) {
      const events = publishable.map((summary) =>
        createEvent('review.summary_changed', summary._id, {
          productId: summary._id,
          average: summary.average,
          count: summary.count,
          histogram: histogramObject(summary.histogram),
          version: summary.version,
        }),
      );
      await this.bus.publish(events.map(toOutboxRow).map((row) => ({ topic: row.topic, key: row.key, value: JSON.stringify(row.payload), headers: row.headers })));
    }
    // Entries are never updated, only inserted and deleted: deleting those read cannot drop one written since.
    await this.store.summaryOutbox.deleteMany({ _id: { $in: batch.settled } });
    return entries.length;
  }

  /** The summary of a product's published reviews as it stands, and its version (read first). */
  async compute(productId: string): Promise<SummaryDocument> {
    const [version] = await this.store.reviews.aggregate<{ version: number }>([{ $match: { productId } }, { $group: { _id: '$productId', version: { $sum: '$rev' } } }]).toArray();
    const counts = await this.store.reviews
      .aggregate<{ _id: number; n: number }>([{ $match: { productId, status: 'published' } }, { $group: { _id: '$rating', n: { $sum: 1 } } }])
      .toArray();
    const histogram: Histogram = [0, 0, 0, 0, 0];
    for (const { _id, n } of counts) if (_id >= 1 && _id <= 5) histogram[_id - 1] = n;
    return { _id: productId, ...summarise(histogram), histogram, version: version?.version ?? 0, updatedAt: new Date() };
  }
}

export function histogramObject(histogram: Histogram): ReviewSummaryChangedV1['histogram'] {
  return { '1': histogram[0], '2': histogram[1], '3': histogram[2], '4': histogram[3], '5': histogram[4] };
}
