import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@shop/errors';
import { isDuplicateKeyError } from '@shop/mongo';
import type { ServiceMetrics } from '@shop/observability';
import { pageWindow } from '@shop/validation';
import type { Filter } from 'mongodb';
import type { Histogram } from 'prom-client';
import { APP_CONFIG, METRICS } from '@shop/service-kit';
import type { ReviewConfig } from '../config';
import { helpfulVoteId, HIDDEN_FIELDS, purchaseId, REVIEW_STORE, type ReviewDocument, reviewKey, type ReviewStatus, type ReviewStore, type SummaryDocument } from '../store';
import { SummaryOutbox } from '../summaries/summary-outbox';
import { Moderation } from './moderation';
import { chunksHolding, FIRST_PAGE_CHUNK, firstPageId, withinFirstPages } from './first-pages';
import type { ProductReviewLists, SummaryStamp } from './held-lists';
import { HeldReviewLists } from './held-review-lists';
import { ReadsAfterArrival } from './reads-after-arrival';
import { AUTHOR_NAME_MAX, REASON_MAX, rating, type ReviewSort, reviewSort, reviewText, sortKeys, text } from './review-input';

/**
 * How many rounds of counting a review's votes and writing the count a writer may take before it
 * gives up (each round after the last vote landed settles it; see settleHelpfulCount).
 */
const SETTLE_ROUNDS_MAX = 20;

/** Where a list came from: the first pages kept ready, the lists held in memory, or the reviews in the database. */
type ListSource = 'first_pages' | 'held' | 'database';

/** A review as answered: without its voters. */
export type StoredReview = Omit<ReviewDocument, 'voters'>;

export interface RatingSummary {
  productId: string;
  average: number;
  count: number;
  histogram: [number, number, number, number, number];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

const ID_MAX = 100;

function id(value: string, what: string): string {
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > ID_MAX) throw AppError.invalid(`${what} is required (at most ${ID_MAX} characters)`);
  return trimmed;
}

export function emptySummary(productId: string): RatingSummary {
  return { productId, average: 0, count: 0, histogram: [0, 0, 0, 0, 0] };
}

/**
 * Reviews in MongoDB, one document each, every change a single-document write (no transactions).
 * A change that can move the product's rating summary goes through the SummaryOutbox, which records
 * the announcement owed around it; the SummaryPublisher then publishes the summary.
 */
@Injectable()
export class ReviewsService {
  private readonly moderation: Moderation;
  private readonly listSeconds: Histogram<'source'>;
  /** The stored summary when nothing is owed (see readyList), read once for the lists asked for meanwhile. */
  private readonly settledSummaries = new ReadsAfterArrival<SummaryDocument | null | 'owed'>();

  constructor(
    @Inject(REVIEW_STORE) private readonly store: ReviewStore,
    @Inject(APP_CONFIG) config: ReviewConfig,
    private readonly outbox: SummaryOutbox,
    private readonly held: HeldReviewLists,
    @Inject(METRICS) metrics: ServiceMetrics,
  ) {
    this.moderation = new Moderation(config.REVIEW_BLOCKED_WORDS);
    this.listSeconds = metrics.histogram('shop_review_list_seconds', 'Product review lists answered, by where they came from: first_pages, held (in memory), database', ['source']);
  }

  async create(input: { userId: string; authorName: string; productId: string; rating: number; title: string; body: string }): Promise<StoredReview> {
    const userId = id(input.userId, 'user_id');
    const productId = id(input.productId, 'product_id');
    const written = reviewText(input);
    // The profile's name, not the shopper's input here: a profile may hold a longer one than a review shows.
    const authorName = text([...input.authorName.trim()].slice(0, AUTHOR_NAME_MAX).join(''), 'author_name', { max: AUTHOR_NAME_MAX }) || 'Shopper';
    const bought = await this.store.purchases.findOne({ _id: purchaseId(userId, productId) }, { projection: { _id: 1 } });
    if (!bought) throw new AppError('permission_denied', 'only a shopper whose order holding this product was confirmed may review it');
    const verdict = this.moderation.judge(written.title, written.body);
    const now = new Date();
    const fields = {
      authorName,
      ...written,
      verifiedPurchase: true,
      status: verdict.status as ReviewStatus,
      moderationReason: verdict.status === 'pending' ? verdict.reason : '',
      helpfulCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    const review: ReviewDocument = { _id: randomUUID(), productId, userId, ...fields, rev: 1 };
    const stored = await this.outbox.record(
      productId,
      async () => {
        try {
          await this.store.reviews.insertOne(review);
          return review;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          // One review per shopper and product; a deleted one makes room for a new one (same document).
          return this.store.reviews.findOneAndUpdate(
            { productId, userId, status: 'deleted' },
            { $set: fields, $unset: { moderatedBy: '' }, $inc: { rev: 1 } },
            { returnDocument: 'after' },
          );
        }
      },
      (stored) => stored !== null,
    );
    if (!stored) throw new AppError('already_exists', 'you have already reviewed this product; edit your review instead');
    return withoutHidden(stored);
  }

  async update(input: { userId: string; reviewId: string; rating?: number; title?: string; body?: string }): Promise<StoredReview> {
    const current = await this.own(input.userId, input.reviewId);
    const written = reviewText({ rating: input.rating ?? current.rating, title: input.title ?? current.title, body: input.body ?? current.body });
    // A hidden review stays hidden; any other is judged again as now written.
    const verdict = current.status === 'hidden' ? undefined : this.moderation.judge(written.title, written.body);
    const set: Partial<ReviewDocument> = { ...written, updatedAt: new Date() };
    if (verdict) Object.assign(set, { status: verdict.status, moderationReason: verdict.status === 'pending' ? verdict.reason : '' });
    const updated = await this.outbox.record(
      current.productId,
      async () => {
        const written = await this.store.reviews.findOneAndUpdate({ _id: current._id, rev: current.rev }, { $set: set, $inc: { rev: 1 } }, { returnDocument: 'after' });
        return written && (await this.settleHelpfulCount(written._id, written.createdAt)).stored;
      },
      (stored) => stored !== null,
    );
    if (!updated) throw new AppError('conflict', 'the review changed meanwhile; try again');
    return withoutHidden(updated);
  }

  async delete(userId: string, reviewId: string): Promise<void> {
    const current = await this.own(userId, reviewId);
    const result = await this.outbox.record(
      current.productId,
      () => this.store.reviews.updateOne({ _id: current._id, userId: current.userId, status: { $ne: 'deleted' } }, { $set: { status: 'deleted', updatedAt: new Date() }, $inc: { rev: 1 } }),
      (outcome) => outcome.matchedCount > 0,
    );
    if (result.matchedCount === 0) throw AppError.notFound('review not found');
  }

  /**
   * A page of a product's published reviews, with its summary. While nothing is owed for the
   * product (see readyList), from the product's reviews this replica holds in memory as of that
   * summary (HeldReviewLists), else from what the publisher kept ready (a page within the first
   * 100 reviews of an order, without a rating filter: no load for it), else from the reviews held
   * once loaded, else (an announcement owed, a product of more reviews than may be held) read,
   * sorted and counted by the database as the reviews stand.
   */
  async listForProduct(input: { productId: string; sort: string; rating: number; page: number; limit: number }): Promise<Page<StoredReview> & { summary: RatingSummary }> {
    const productId = id(input.productId, 'product_id');
    const sort = reviewSort(input.sort);
    const window = pageWindow(input, { defaultLimit: 20, maxLimit: 100 });
    const ratingFilter = input.rating ? rating(input.rating) : 0;
    const offset = (window.page - 1) * window.limit;
    const timer = this.listSeconds.startTimer();
    const answer = (source: ListSource, items: StoredReview[], total: number, summary: RatingSummary) => {
      timer({ source });
      return { items, total, page: window.page, limit: window.limit, summary };
    };
    const chunks = withinFirstPages(window.page, window.limit, ratingFilter) ? chunksHolding(offset, window.limit) : [];
    const ready = await this.readyList(productId, sort, chunks);
    if (ready?.held) {
      const page = ready.held.page(sort, ratingFilter, offset, window.limit);
      return answer('held', page.items, page.total, ready.summary);
    }
    if (ready?.items) {
      const from = offset - chunks[0]! * FIRST_PAGE_CHUNK;
      return answer('first_pages', ready.items.slice(from, from + window.limit), publishedTotal(ready.summary, ratingFilter), ready.summary);
    }
    if (ready?.stamp && this.held.mayHold(productId, ready.summary.count)) {
      const page = (await this.held.listsAt(productId, ready.stamp)).page(sort, ratingFilter, offset, window.limit);
      return answer('held', page.items, page.total, ready.summary);
    }
    const filter: Filter<ReviewDocument> = { productId, status: 'published' };
    if (ratingFilter) filter.rating = ratingFilter;
    const [items, total, summary] = await Promise.all([
      this.store.reviews.find(filter, { projection: HIDDEN_FIELDS }).sort(sortKeys(sort)).skip(offset).limit(window.limit).toArray(),
      ready ? publishedTotal(ready.summary, ratingFilter) : this.store.reviews.countDocuments(filter),
      ready ? ready.summary : this.summary(productId),
    ]);
    return answer('database', items, total, summary);
  }

  /**
   * What the summary publisher keeps ready for a product's list, when it holds every change made so
   * far: the summary (and its stamp, when one is stored), and the reviews of `chunks` of the first
   * ones in `sort` order. On FerretDB v1.24 a list or a
   * count read from the reviews fetches and decodes every review of the product (for 10,000: over
   * half a second alone, tens of seconds under load); these are lookups by key.
   *
   * Undefined while an announcement is owed for the product (an entry in the outbox): the summary
   * and pages are written before the entries go, so with none left they hold every change that
   * landed before the outbox was read, which is read first for that reason (read-your-writes).
   * Chunks are taken only all stored with the very summary read (each is stored with its own
   * check; a round that only moved helpful counts stores the same version again, at another time).
   */
  private async readyList(
    productId: string,
    sort: ReviewSort,
    chunks: number[],
  ): Promise<{ summary: RatingSummary; stamp?: SummaryStamp; held?: ProductReviewLists; items?: StoredReview[] } | undefined> {
    // Shared by the lists of the product asked for at once, but read after each of them was asked
    // for: two reads through FerretDB per list were most of a held list's time at 16 at once.
    const stored = await this.settledSummaries.read(productId, async () => ((await this.outbox.owes(productId)) ? 'owed' : this.store.summaries.findOne({ _id: productId })));
    if (stored === 'owed') return undefined;
    if (!stored) return { summary: emptySummary(productId) };
    const stamp = { version: stored.version, storedAt: stored.updatedAt.getTime() };
    // Lists held for this summary answer any page from memory: no chunk to read through FerretDB.
    const held = this.held.heldAt(productId, stamp);
    if (held) return { summary: toSummary(stored), stamp, held };
    const pages = await Promise.all(chunks.map((chunk) => this.store.firstPages.findOne({ _id: firstPageId(productId, sort, chunk) })));
    const current = chunks.length > 0 && pages.every((page) => page?.version === stamp.version && page.updatedAt.getTime() === stamp.storedAt);
    return { summary: toSummary(stored), stamp, items: current ? pages.flatMap((page) => page!.items) : undefined };
  }

  /**
   * Once per shopper, not on one's own review. The vote is a document of its own (see
   * HelpfulVoteDocument): inserted, never lost, and it moves the product's summary version by
   * itself. The review's helpfulCount is then settled to the number of its votes.
   */
  async markHelpful(userId: string, reviewId: string): Promise<StoredReview> {
    const voter = id(userId, 'user_id');
    const review = await this.store.reviews.findOne({ _id: id(reviewId, 'review_id'), status: 'published' }, { projection: { userId: 1, productId: 1, createdAt: 1 } });
    if (!review) throw AppError.notFound('review not found');
    if (review.userId === voter) throw new AppError('failed_precondition', 'you cannot mark your own review as helpful');
    const key = reviewKey(review._id, review.createdAt);
    const { stored } = await this.outbox.record(
      review.productId,
      async () => {
        let voted = true;
        try {
          await this.store.helpfulVotes.insertOne({ _id: helpfulVoteId(key, voter), reviewKey: key, reviewId: review._id, productId: review.productId, voterId: voter, createdAt: new Date() });
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          // Voted before: settled all the same, in case that vote's writer died before it settled.
          voted = false;
        }
        return { voted, ...(await this.settleHelpfulCount(review._id, review.createdAt)) };
      },
      ({ voted, rewrote }) => voted || rewrote,
    );
    if (!stored) throw AppError.notFound('review not found');
    return withoutHidden(stored);
  }

  /**
   * Makes the review's helpfulCount the number of its votes: counts them, reads the review, and
   * writes the count when they differ, until they agree. Every writer of a review runs it after its
   * own write (a vote, an edit, a moderation), so the review ends with all its votes counted, also
   * on FerretDB v1.24, where an update is an unlocked read, change and write back of the whole
   * document and a voter's write can put back a count read before another's vote. Whichever write
   * lands last, its writer counts afterwards (every vote inserted by then) and rewrites until the
   * review holds that count; a voter whose vote came later counts later still. A real MongoDB
   * settles it in one round.
   *
   * The count is written without moving `rev`: the votes move the summary version themselves, and
   * two writers raising `rev` at once on FerretDB can both write back the same value.
   */
  private async settleHelpfulCount(reviewId: string, createdAt: Date): Promise<{ stored: ReviewDocument | null; rewrote: boolean }> {
    const key = reviewKey(reviewId, createdAt);
    let rewrote = false;
    for (let round = 1; round <= SETTLE_ROUNDS_MAX; round += 1) {
      const votes = await this.store.helpfulVotes.countDocuments({ reviewKey: key });
      const stored = await this.store.reviews.findOne({ _id: reviewId });
      // Deleted and written again meanwhile: the votes counted were for the review as it was.
      if (!stored || stored.createdAt.getTime() !== createdAt.getTime() || stored.helpfulCount === votes) return { stored, rewrote };
      // Only over the review as just read: an edit or moderation landing since (it moves rev) is not
      // written back over. On FerretDB that leaves only the gap inside its own read and write back.
      await this.store.reviews.updateOne({ _id: reviewId, createdAt, rev: stored.rev }, { $set: { helpfulCount: votes } });
      rewrote = true;
    }
    throw new AppError('unavailable', 'the review\'s helpful count did not settle; try again');
  }

  async listByStatus(input: { status: string; page: number; limit: number }): Promise<Page<StoredReview>> {
    if (!['pending', 'published', 'hidden'].includes(input.status)) throw AppError.invalid('status must be pending, published or hidden');
    const window = pageWindow(input, { defaultLimit: 20, maxLimit: 100 });
    const filter: Filter<ReviewDocument> = { status: input.status as ReviewStatus };
    const [items, total] = await Promise.all([
      this.store.reviews.find(filter, { projection: HIDDEN_FIELDS }).sort({ createdAt: -1, _id: -1 }).skip((window.page - 1) * window.limit).limit(window.limit).toArray(),
      this.store.reviews.countDocuments(filter),
    ]);
    return { items, total, page: window.page, limit: window.limit };
  }

  async moderate(input: { reviewId: string; status: string; reason: string; moderatorId: string }): Promise<StoredReview> {
    if (input.status !== 'published' && input.status !== 'hidden') throw AppError.invalid('status must be published or hidden');
    const status: ReviewStatus = input.status;
    const reason = text(input.reason, 'reason', { max: REASON_MAX });
    const current = await this.store.reviews.findOne({ _id: id(input.reviewId, 'review_id'), status: { $ne: 'deleted' } }, { projection: { productId: 1 } });
    if (!current) throw AppError.notFound('review not found');
    const updated = await this.outbox.record(
      current.productId,
      async () => {
        const written = await this.store.reviews.findOneAndUpdate(
          { _id: current._id, status: { $ne: 'deleted' } },
          { $set: { status, moderationReason: reason, moderatedBy: input.moderatorId, updatedAt: new Date() }, $inc: { rev: 1 } },
          { returnDocument: 'after' },
        );
        return written && (await this.settleHelpfulCount(written._id, written.createdAt)).stored;
      },
      (stored) => stored !== null,
    );
    if (!updated) throw AppError.notFound('review not found');
    return withoutHidden(updated);
  }

  /** The summary as last published (a write reaches it within milliseconds: every write wakes the publisher). */
  async summary(productId: string): Promise<RatingSummary> {
    const stored = await this.store.summaries.findOne({ _id: id(productId, 'product_id') });
    return stored ? toSummary(stored) : emptySummary(productId);
  }

  private async own(userId: string, reviewId: string): Promise<ReviewDocument> {
    const review = await this.store.reviews.findOne({ _id: id(reviewId, 'review_id'), userId: id(userId, 'user_id'), status: { $ne: 'deleted' } });
    if (!review) throw AppError.notFound('review not found');
    return review;
  }
}

function withoutHidden(review: ReviewDocument): StoredReview {
  const { voters: _voters, summaryPending: _pending, ...rest } = review as ReviewDocument & { summaryPending?: boolean };
  return rest;
}

/** The published reviews a summary counts: all of them, or those of one rating (1-5; 0 for all). */
export function publishedTotal(summary: RatingSummary, ratingFilter: number): number {
  return ratingFilter ? (summary.histogram[ratingFilter - 1] ?? 0) : summary.count;
}

export function toSummary(stored: SummaryDocument): RatingSummary {
  return { productId: stored._id, average: stored.average, count: stored.count, histogram: stored.histogram };
}
