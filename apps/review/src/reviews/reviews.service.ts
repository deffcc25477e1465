import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@shop/errors';
import { isDuplicateKeyError } from '@shop/mongo';
import { pageWindow } from '@shop/validation';
import type { Filter } from 'mongodb';
import { APP_CONFIG } from '@shop/service-kit';
import type { ReviewConfig } from '../config';
import { purchaseId, REVIEW_STORE, type ReviewDocument, type ReviewStatus, type ReviewStore, type SummaryDocument } from '../store';
import { SummaryOutbox } from '../summaries/summary-outbox';
import { Moderation } from './moderation';
import { chunksHolding, FIRST_PAGE_CHUNK, firstPageId, withinFirstPages } from './first-pages';
import { AUTHOR_NAME_MAX, REASON_MAX, rating, type ReviewSort, reviewSort, reviewText, sortKeys, text } from './review-input';

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

// Projections in find only: FerretDB v1.24 refuses them in findAndModify (findOneAndUpdate), where
// withoutHidden strips the fields. summaryPending: left on reviews written before migration 0003.
const HIDE_FROM_ANSWERS = { voters: 0, summaryPending: 0 } as const;
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

  constructor(
    @Inject(REVIEW_STORE) private readonly store: ReviewStore,
    @Inject(APP_CONFIG) config: ReviewConfig,
    private readonly outbox: SummaryOutbox,
  ) {
    this.moderation = new Moderation(config.REVIEW_BLOCKED_WORDS);
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
      voters: [] as string[],
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
      () => this.store.reviews.findOneAndUpdate({ _id: current._id, rev: current.rev }, { $set: set, $inc: { rev: 1 } }, { returnDocument: 'after' }),
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

  async listForProduct(input: { productId: string; sort: string; rating: number; page: number; limit: number }): Promise<Page<StoredReview> & { summary: RatingSummary }> {
    const productId = id(input.productId, 'product_id');
    const sort = reviewSort(input.sort);
    const window = pageWindow(input, { defaultLimit: 20, maxLimit: 100 });
    const filter: Filter<ReviewDocument> = { productId, status: 'published' };
    if (input.rating) filter.rating = rating(input.rating);
    const offset = (window.page - 1) * window.limit;
    const chunks = withinFirstPages(window.page, window.limit, input.rating) ? chunksHolding(offset, window.limit) : [];
    const ready = await this.readyList(productId, sort, input.rating, chunks);
    if (ready?.items) {
      const from = offset - chunks[0]! * FIRST_PAGE_CHUNK;
      return { items: ready.items.slice(from, from + window.limit), total: ready.total, page: window.page, limit: window.limit, summary: ready.summary };
    }
    const [items, total, summary] = await Promise.all([
      this.store.reviews.find(filter, { projection: HIDE_FROM_ANSWERS }).sort(sortKeys(sort)).skip(offset).limit(window.limit).toArray(),
      ready ? ready.total : this.store.reviews.countDocuments(filter),
      ready ? ready.summary : this.summary(productId),
    ]);
    return { items, total, page: window.page, limit: window.limit, summary };
  }

  /**
   * What the summary publisher keeps ready for a product's list, when it holds every change made so
   * far: the summary, the list's total (the summary's count, or its histogram's for one rating),
   * and the reviews of `chunks` of the first ones in `sort` order. On FerretDB v1.24 a list or a
   * count read from the reviews fetches and decodes every review of the product (for 10,000: over
   * half a second alone, tens of seconds under load); these are lookups by key.
   *
   * Undefined while an announcement is owed for the product (an entry in the outbox): the summary
   * and pages are written before the entries go, so with none left they hold every change that
   * landed before the outbox was read, which is read first for that reason (read-your-writes).
   * Chunks are taken only all with the summary's version (each is stored with its own check).
   */
  private async readyList(productId: string, sort: ReviewSort, ratingFilter: number, chunks: number[]): Promise<{ summary: RatingSummary; total: number; items?: StoredReview[] } | undefined> {
    if (await this.outbox.owes(productId)) return undefined;
    const [stored, ...pages] = await Promise.all([
      this.store.summaries.findOne({ _id: productId }),
      ...chunks.map((chunk) => this.store.firstPages.findOne({ _id: firstPageId(productId, sort, chunk) })),
    ]);
    const summary = stored ? toSummary(stored) : emptySummary(productId);
    const current = chunks.length > 0 && stored && pages.every((page) => page?.version === stored.version);
    return { summary, total: publishedTotal(summary, ratingFilter), items: current ? pages.flatMap((page) => page!.items) : undefined };
  }

  async markHelpful(userId: string, reviewId: string): Promise<StoredReview> {
    const voter = id(userId, 'user_id');
    const review = await this.store.reviews.findOne({ _id: id(reviewId, 'review_id'), status: 'published' }, { projection: { userId: 1, productId: 1 } });
    if (!review) throw AppError.notFound('review not found');
    if (review.userId === voter) throw new AppError('failed_precondition', 'you cannot mark your own review as helpful');
    // Once per shopper: the vote and the count change in one single-document write. It is a change
    // of the product's reviews (the helpful order), announced like the others (its summary's version moves).
    // FerretDB (the embedded default) applies an update as read, change, write back, with no lock:
    // two shoppers voting on the same review at once can each read it without the other's vote, and
    // the second write back puts it back without the first vote. (The summary publisher no longer
    // writes to reviews; shoppers' votes still meet each other.) The vote is therefore read back and
    // applied again if missing (the filter keeps it once per shopper); that narrows the window, a
    // real MongoDB needs none of it.
    const { stored } = await this.outbox.record(
      review.productId,
      async () => {
        let votes = 0;
        let stored: ReviewDocument | null = null;
        for (let attempt = 1; attempt <= 3; attempt += 1) {
          const voted = await this.store.reviews.updateOne({ _id: review._id, voters: { $ne: voter } }, { $addToSet: { voters: voter }, $inc: { helpfulCount: 1, rev: 1 } });
          votes += voted.modifiedCount;
          stored = await this.store.reviews.findOne({ _id: review._id });
          if (!stored || stored.voters.includes(voter)) break;
        }
        return { votes, stored };
      },
      ({ votes }) => votes > 0,
    );
    if (!stored) throw AppError.notFound('review not found');
    return withoutHidden(stored);
  }

  async listByStatus(input: { status: string; page: number; limit: number }): Promise<Page<StoredReview>> {
    if (!['pending', 'published', 'hidden'].includes(input.status)) throw AppError.invalid('status must be pending, published or hidden');
    const window = pageWindow(input, { defaultLimit: 20, maxLimit: 100 });
    const filter: Filter<ReviewDocument> = { status: input.status as ReviewStatus };
    const [items, total] = await Promise.all([
      this.store.reviews.find(filter, { projection: HIDE_FROM_ANSWERS }).sort({ createdAt: -1, _id: -1 }).skip((window.page - 1) * window.limit).limit(window.limit).toArray(),
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
      () =>
        this.store.reviews.findOneAndUpdate(
          { _id: current._id, status: { $ne: 'deleted' } },
          { $set: { status, moderationReason: reason, moderatedBy: input.moderatorId, updatedAt: new Date() }, $inc: { rev: 1 } },
          { returnDocument: 'after' },
        ),
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
