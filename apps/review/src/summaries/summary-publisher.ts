import { type ReviewSummaryChangedV1, createEvent } from '@shop/contracts';
import { type EventBus, toOutboxRow } from '@shop/messaging';
import { isDuplicateKeyError } from '@shop/mongo';
import { BatchSweeper } from '@shop/service-kit';
import type { Logger } from 'pino';
import { HIDDEN_FIELDS, type ReviewStore, type SummaryDocument } from '../store';
import { firstPageId, firstPages, type ListedReview } from '../reviews/first-pages';
import { REVIEW_SORTS, type ReviewSort } from '../reviews/review-input';
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
 *  1. reads all the product's reviews and counts its helpful votes: `version` = the sum of their
 *     `rev` (deleted ones stay, as tombstones) and the votes (never deleted), so it only ever
 *     grows, the per-rating counts of the published ones, and the first reviews of its list in
 *     every order (kept for readers, see FirstPageDocument);
 *  2. keeps those pages, then the summary, each unless a newer version is stored, and publishes
 *     the summary with that version (the same version is stored again, at a new `updatedAt`, when
 *     only helpful counts moved: readers tell the two apart by both);
 *  3. deletes the entries it read (and the intents they confirm).
 * A change entry is written after its review write landed, so the counts read in 1 hold it. A
 * process that dies anywhere in between leaves the entries, and the next round (here or on another
 * replica) publishes again: at least once, never lost. Two replicas racing can publish an older
 * summary after a newer one, but never with a higher version, and the round that follows the last
 * change reads the highest version together with the final counts, so consumers that keep the
 * highest version converge on the truth.
 *
 * A write wakes the loop at once (no settling time: with nothing of its own in the reviews, a round
 * amid a burst of writes costs a summary more, no write); writes during a round get one more round.
 *
 * The counts are summed here, not by an aggregate: FerretDB v1.24 lacks `$avg`, `$max` and
 * `$sum: 1` under `_id: null`, and would fetch every review of the product for each aggregate anyway.
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
    const computed = await Promise.all(batch.productIds.map((productId) => this.compute(productId)));
    const publishable: SummaryDocument[] = [];
    for (const { summary, pages } of computed) {
      // The pages first: a reader takes them only once the summary of the same version is stored.
      await Promise.all(REVIEW_SORTS.flatMap((sort) => pages[sort].map((items, chunk) => this.keepFirstPage(summary, sort, chunk, items))));
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

  /** Stores a chunk of a list's first reviews as of `summary`, unless one of a newer version is stored. */
  private async keepFirstPage(summary: SummaryDocument, sort: ReviewSort, chunk: number, items: ListedReview[]): Promise<void> {
    const _id = firstPageId(summary._id, sort, chunk);
    const filter = { _id, version: { $lte: summary.version } };
    const update = { $set: { productId: summary._id, sort, chunk, version: summary.version, items, updatedAt: summary.updatedAt } };
    try {
      await this.store.firstPages.updateOne(filter, update, { upsert: true });
    } catch (error) {
      // Stored meanwhile (the filter missed, the upsert met its _id): kept only if not newer.
      if (!isDuplicateKeyError(error)) throw error;
      await this.store.firstPages.updateOne(filter, update);
    }
  }

  /**
   * The summary of a product's published reviews as it stands, its version, and the first reviews
   * of its list in every order, all from one read of the product's reviews: each review is seen in
   * one state, so the counts and pages are exactly those of the version (the sum of the revisions
   * seen). One read instead of an aggregate per figure: on FerretDB v1.24 each of those fetched
   * every review of the product too.
   */
  async compute(productId: string): Promise<{ summary: SummaryDocument; pages: Record<ReviewSort, ListedReview[][]> }> {
    const [reviews, votes] = await Promise.all([
      this.store.reviews.find({ productId }, { projection: HIDDEN_FIELDS }).toArray(),
      this.store.helpfulVotes.countDocuments({ productId }),
    ]);
    const histogram: Histogram = [0, 0, 0, 0, 0];
    // Each vote counts once by its own document (inserted, never lost); writing a review's count
    // does not move its `rev` (see ReviewsService.settleHelpfulCount).
    let version = votes;
    for (const review of reviews) {
      version += review.rev;
      if (review.status === 'published' && review.rating >= 1 && review.rating <= 5) histogram[review.rating - 1] += 1;
    }
    return { summary: { _id: productId, ...summarise(histogram), histogram, version, updatedAt: new Date() }, pages: firstPages(reviews) };
  }
}

export function histogramObject(histogram: Histogram): ReviewSummaryChangedV1['histogram'] {
  return { '1': histogram[0], '2': histogram[1], '3': histogram[2], '4': histogram[3], '5': histogram[4] };
}
