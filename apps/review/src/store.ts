import type { FactoryProvider } from '@nestjs/common';
import { HEALTH_CHECKS } from '@shop/health';
import { connectMongo, isDuplicateKeyError, migrateMongo, mongoHealthCheck, type MongoMigration } from '@shop/mongo';
import { APP_CONFIG, LOGGER, ShutdownSequence } from '@shop/service-kit';
import type { Collection, Db } from 'mongodb';
import type { Logger } from 'pino';
import type { ReviewConfig } from './config';

export type ReviewStatus = 'pending' | 'published' | 'hidden' | 'deleted';

/**
 * A review, written only by shoppers' and moderators' requests (never by the summary publisher: see
 * SummaryOutboxEntry). `rev` counts its changes (1 when written); the product's summary version is
 * the sum of its reviews' `rev` and of its helpful votes (see HelpfulVoteDocument). `helpfulCount`
 * is the number of its votes, written by whoever voted (or edited it) until it settles there (see
 * ReviewsService.settleHelpfulCount). Reviews written before migration 0004 still carry `voters`,
 * the shoppers who had found them helpful (copied into review_votes then; nothing reads it), and
 * those written before migration 0003 a `summaryPending` flag: nothing reads it.
 */
export interface ReviewDocument {
  _id: string;
  productId: string;
  userId: string;
  authorName: string;
  rating: number;
  title: string;
  body: string;
  verifiedPurchase: boolean;
  status: ReviewStatus;
  moderationReason: string;
  moderatedBy?: string;
  helpfulCount: number;
  voters?: string[];
  rev: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * What no answer shows of a review, as a find's projection: the voters older builds kept and the
 * flag those before migration 0003 left. Projections in find only: FerretDB v1.24 refuses them in
 * findAndModify (findOneAndUpdate), where ReviewsService strips the fields from what it answers.
 */
export const HIDDEN_FIELDS = { voters: 0, summaryPending: 0 } as const;

/**
 * A shopper found a review helpful: one document per vote, only ever inserted, so that no vote is
 * lost. On FerretDB v1.24 an update is an unlocked read, change and write back of the whole
 * document: two shoppers adding themselves to the same review at once could each write it back
 * without the other. An insert is one Postgres row, and a second vote of the same shopper meets the
 * unique `_id`. `reviewKey` names the review as written: a review deleted and written again by its
 * author (the same document, a new `createdAt`) starts without votes.
 */
export interface HelpfulVoteDocument {
  _id: string;
  reviewKey: string;
  reviewId: string;
  productId: string;
  voterId: string;
  createdAt: Date;
}

/** The review as written at `createdAt` (a review deleted and written again starts anew). */
export const reviewKey = (reviewId: string, createdAt: Date) => `${reviewId}:${createdAt.getTime()}`;
export const helpfulVoteId = (key: string, voterId: string) => `${key}:${voterId}`;

/** A shopper bought a product: an order holding it was confirmed (from order.confirmed). */
export interface PurchaseDocument {
  _id: string;
  userId: string;
  productId: string;
  orderIds: string[];
  firstConfirmedAt: Date;
}

/** The last summary published for a product, with the version it carried. */
export interface SummaryDocument {
  _id: string;
  average: number;
  count: number;
  histogram: [number, number, number, number, number];
  version: number;
  updatedAt: Date;
}

/**
 * An announcement of a product's rating summary still owed: the outbox of the summary publisher,
 * in a collection of its own so that the publisher never writes to a review (on FerretDB an update
 * is an unlocked read, change and write back: a publisher's write to a review could put it back
 * without a shopper's change that landed meanwhile).
 *
 * Every entry is inserted once and deleted once, never updated, so two writers (or a writer and the
 * publisher) never read-change-write the same document; one document per product with a dirty flag
 * or a counter would move the lost update into this collection. A change to a review writes:
 *  - an `intent` before the review write, due `dueAt` (its write has surely landed or failed by
 *    then): if the process dies before it could write the `change`, the publisher announces anyway;
 *  - a `change` after the review write landed, naming its intent: announced at once, and the
 *    publisher deletes both.
 * See SummaryOutbox (the writers' side) and SummaryPublisher.
 */
export interface SummaryOutboxEntry {
  _id: string;
  productId: string;
  kind: 'intent' | 'change';
  /** intent: when it is announced although no `change` confirmed it. */
  dueAt?: Date;
  /** change: the intent written before the same review write. */
  intentId?: string;
  createdAt: Date;
}

/**
 * A chunk of the first reviews of a product's list in one order (`_id`: product, sort and chunk), as
 * of the summary of the same `version`: written by the summary publisher with that summary, read
 * instead of the reviews while no announcement is owed for the product (see ReviewsService.listForProduct).
 */
export interface FirstPageDocument {
  _id: string;
  productId: string;
  sort: string;
  chunk: number;
  version: number;
  items: Array<Omit<ReviewDocument, 'voters'>>;
  updatedAt: Date;
}

export const purchaseId = (userId: string, productId: string) => `${userId}:${productId}`;

export interface ReviewStore {
  db: Db;
  reviews: Collection<ReviewDocument>;
  purchases: Collection<PurchaseDocument>;
  summaries: Collection<SummaryDocument>;
  summaryOutbox: Collection<SummaryOutboxEntry>;
  firstPages: Collection<FirstPageDocument>;
  helpfulVotes: Collection<HelpfulVoteDocument>;
}

export const REVIEW_STORE = Symbol('REVIEW_STORE');

export function reviewStore(db: Db): ReviewStore {
  return {
    db,
    reviews: db.collection('reviews'),
    purchases: db.collection('purchases'),
    summaries: db.collection('summaries'),
    summaryOutbox: db.collection('summary_outbox'),
    firstPages: db.collection('review_first_pages'),
    helpfulVotes: db.collection('review_votes'),
  };
}

/**
 * The indexes, as versioned migrations. Only what a real MongoDB and FerretDB v1.24 both do: plain
 * unique and compound indexes (no partial or TTL indexes, no collations, no text indexes).
 */
export const REVIEW_MIGRATIONS: MongoMigration[] = [
  {
    id: '0001-reviews',
    description: 'reviews: one per shopper and product; lists per product by newest, helpful and rating; moderation queue; pending summaries',
    up: async (db) => {
      const reviews = db.collection('reviews');
      await reviews.createIndex({ productId: 1, userId: 1 }, { unique: true, name: 'reviews_product_user' });
      await reviews.createIndex({ productId: 1, status: 1, createdAt: -1 }, { name: 'reviews_product_newest' });
      await reviews.createIndex({ productId: 1, status: 1, helpfulCount: -1, createdAt: -1 }, { name: 'reviews_product_helpful' });
      await reviews.createIndex({ productId: 1, status: 1, rating: -1, createdAt: -1 }, { name: 'reviews_product_rating' });
      await reviews.createIndex({ status: 1, createdAt: -1 }, { name: 'reviews_status_newest' });
      // Dropped by 0003: kept here so that a database migrated from scratch goes through the same shapes.
      await reviews.createIndex({ summaryPending: 1 }, { name: 'reviews_summary_pending' });
    },
  },
  {
    id: '0002-purchases',
    description: 'purchases: who bought what (keyed by user and product)',
    up: async (db) => {
      await db.collection('purchases').createIndex({ userId: 1 }, { name: 'purchases_user' });
    },
  },
  {
    id: '0003-summary-outbox',
    description: 'summary_outbox: announcements owed (due, per product), out of the reviews; products still flagged summaryPending by an older build get one; the flag\'s index goes',
    up: async (db) => {
      const outbox = db.collection<SummaryOutboxEntry>('summary_outbox');
      await outbox.createIndex({ kind: 1, dueAt: 1 }, { name: 'summary_outbox_due' });
      // Whether a product's lists may be read from what the publisher kept ready (ReviewsService.readyList).
      await outbox.createIndex({ productId: 1 }, { name: 'summary_outbox_product' });
      // What an older build left flagged and unannounced is announced once more (duplicates are
      // harmless). The flags stay: clearing them would be a write to reviews amid shoppers' writes.
      const flagged = await db.collection('reviews').distinct('productId', { summaryPending: true });
      const now = new Date();
      if (flagged.length > 0) {
        await outbox.insertMany(
          flagged.map((productId: string) => ({ _id: `0003:${productId}`, productId, kind: 'change' as const, createdAt: now })),
          { ordered: false },
        ).catch((error: unknown) => {
          // Run again after dying half way: the entries written then are still owed, or already announced.
          if (!isDuplicateKeyError(error)) throw error;
        });
      }
      const indexes = await db.collection('reviews').listIndexes().toArray();
      if (indexes.some((index) => index.name === 'reviews_summary_pending')) await db.collection('reviews').dropIndex('reviews_summary_pending');
    },
  },
  {
    id: '0004-helpful-votes',
    description: 'review_votes: a document per helpful vote (counted per review, and per product for the summary version), copied from the reviews\' voters',
    up: async (db) => {
      const votes = db.collection<HelpfulVoteDocument>('review_votes');
      await votes.createIndex({ reviewKey: 1 }, { name: 'review_votes_review' });
      await votes.createIndex({ productId: 1 }, { name: 'review_votes_product' });
      // Every vote the arrays hold, once: run again after dying half way, the votes copied then
      // meet their _id. The arrays stay (a write to reviews amid shoppers' writes could lose one).
      const withVoters = db.collection<ReviewDocument>('reviews').find({}, { projection: { productId: 1, createdAt: 1, voters: 1 } });
      let batch: HelpfulVoteDocument[] = [];
      const copy = async () => {
        if (batch.length === 0) return;
        await votes.insertMany(batch, { ordered: false }).catch((error: unknown) => {
          if (!isDuplicateKeyError(error)) throw error;
        });
        batch = [];
      };
      for await (const review of withVoters) {
        const key = reviewKey(review._id, review.createdAt);
        for (const voterId of review.voters ?? []) {
          batch.push({ _id: helpfulVoteId(key, voterId), reviewKey: key, reviewId: review._id, productId: review.productId, voterId, createdAt: review.createdAt });
        }
        if (batch.length >= 1000) await copy();
      }
      await copy();
    },
  },
];

/** The connected database, migrated when MIGRATE_ON_START says so; closed last at shutdown. */
export const reviewStoreProvider: FactoryProvider<ReviewStore> = {
  provide: REVIEW_STORE,
  inject: [APP_CONFIG, LOGGER, ShutdownSequence],
  useFactory: async (config: ReviewConfig, logger: Logger, shutdown: ShutdownSequence) => {
    const mongo = await connectMongo(config.MONGO_URL, { appName: 'review' });
    shutdown.add('storage', 'mongodb', () => mongo.close());
    if (config.MIGRATE_ON_START) {
      const result = await migrateMongo(mongo.db, REVIEW_MIGRATIONS, { log: (message, fields) => logger.info(fields ?? {}, message) });
      if (result.applied.length > 0) logger.info({ applied: result.applied }, 'applied MongoDB migrations');
    }
    return reviewStore(mongo.db);
  },
};

export const reviewReadinessProvider: FactoryProvider = {
  provide: HEALTH_CHECKS,
  inject: [REVIEW_STORE],
  useFactory: (store: ReviewStore) => [mongoHealthCheck(store.db)],
};
