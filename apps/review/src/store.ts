import type { FactoryProvider } from '@nestjs/common';
import { HEALTH_CHECKS } from '@shop/health';
import { connectMongo, migrateMongo, mongoHealthCheck, type MongoMigration } from '@shop/mongo';
import { APP_CONFIG, LOGGER, ShutdownSequence } from '@shop/service-kit';
import type { Collection, Db } from 'mongodb';
import type { Logger } from 'pino';
import type { ReviewConfig } from './config';

export type ReviewStatus = 'pending' | 'published' | 'hidden' | 'deleted';

/**
 * A review. `rev` counts its changes (1 when written); `summaryPending` is set in the same write as
 * any change that can move its product's rating summary and cleared once that summary went out (the
 * outbox, kept inside the document so one atomic write records both: see summary-publisher.ts).
 * `voters` are the shoppers who found it helpful (never sent to clients).
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
  voters: string[];
  rev: number;
  summaryPending?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

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

export const purchaseId = (userId: string, productId: string) => `${userId}:${productId}`;

export interface ReviewStore {
  db: Db;
  reviews: Collection<ReviewDocument>;
  purchases: Collection<PurchaseDocument>;
  summaries: Collection<SummaryDocument>;
}

export const REVIEW_STORE = Symbol('REVIEW_STORE');

export function reviewStore(db: Db): ReviewStore {
  return { db, reviews: db.collection('reviews'), purchases: db.collection('purchases'), summaries: db.collection('summaries') };
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
