import type { FactoryProvider } from '@nestjs/common';
import { HEALTH_CHECKS } from '@shop/health';
import { connectMongo, migrateMongo, mongoHealthCheck, type MongoMigration } from '@shop/mongo';
import { APP_CONFIG, LOGGER, ShutdownSequence } from '@shop/service-kit';
import type { Collection, Db } from 'mongodb';
import type { Logger } from 'pino';
import type { BargainingRule } from './bargaining/rules';
import type { ChatConfig } from './config';

export interface StoredMessage {
  role: 'user' | 'assistant';
  text: string;
  at: Date;
}

/** A shopper's conversation; `lastProductIds` are the products last shown (what "it" means when bargaining). */
export interface SessionDocument {
  _id: string;
  userId: string;
  messages: StoredMessage[];
  turns: number;
  /** Model tokens spent (LLM_MAX_TOKENS_PER_SESSION); absent before the first model turn. */
  tokens?: number;
  lastProductIds: string[];
  /** An order the assistant asked the shopper to confirm cancelling; only the next message can confirm it. */
  pendingCancel?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** `_id` is `<scope>:<targetId>`. */
export interface RuleDocument extends BargainingRule {
  _id: string;
  updatedBy: string;
  updatedAt: Date;
}

/** An offer made (its signed code is handed to the shopper; the order service records its use). */
export interface OfferDocument {
  _id: string;
  userId: string;
  sessionId: string;
  sku: string;
  ruleId: string;
  amount: number;
  listAmount: number;
  currency: string;
  quantity: number;
  expiresAt: Date;
  createdAt: Date;
}

export interface HandoverDocument {
  _id: string;
  sessionId: string;
  userId: string;
  text: string;
  createdAt: Date;
}

/** Shopper messages per shopper per UTC day (`_id` is `<userId>:<yyyy-mm-dd>`). */
export interface UsageDocument {
  _id: string;
  turns: number;
}

export interface ChatStore {
  db: Db;
  sessions: Collection<SessionDocument>;
  rules: Collection<RuleDocument>;
  offers: Collection<OfferDocument>;
  handovers: Collection<HandoverDocument>;
  usage: Collection<UsageDocument>;
}

export const CHAT_STORE = Symbol('CHAT_STORE');

export function chatStore(db: Db): ChatStore {
  return {
    db,
    sessions: db.collection('sessions'),
    rules: db.collection('bargaining_rules'),
    offers: db.collection('offers'),
    handovers: db.collection('handovers'),
    usage: db.collection('usage'),
  };
}

/** Plain indexes only (what a real MongoDB and FerretDB v1.24 both do). */
export const CHAT_MIGRATIONS: MongoMigration[] = [
  {
    id: '0001-chat',
    description: 'sessions by shopper; offers per shopper and rule; handovers newest first',
    up: async (db) => {
      await db.collection('sessions').createIndex({ userId: 1, createdAt: -1 }, { name: 'sessions_user' });
      await db.collection('offers').createIndex({ userId: 1, ruleId: 1 }, { name: 'offers_user_rule' });
      await db.collection('handovers').createIndex({ createdAt: -1 }, { name: 'handovers_newest' });
    },
  },
];

export const chatStoreProvider: FactoryProvider<ChatStore> = {
  provide: CHAT_STORE,
  inject: [APP_CONFIG, LOGGER, ShutdownSequence],
  useFactory: async (config: ChatConfig, logger: Logger, shutdown: ShutdownSequence) => {
    const mongo = await connectMongo(config.MONGO_URL, { appName: 'chatbot-bridge', maxPoolSize: config.MONGO_MAX_POOL_SIZE });
    shutdown.add('storage', 'mongodb', () => mongo.close());
    if (config.MIGRATE_ON_START) {
      const result = await migrateMongo(mongo.db, CHAT_MIGRATIONS, { log: (message, fields) => logger.info(fields ?? {}, message) });
      if (result.applied.length > 0) logger.info({ applied: result.applied }, 'applied MongoDB migrations');
    }
    return chatStore(mongo.db);
  },
};

export const chatReadinessProvider: FactoryProvider = {
  provide: HEALTH_CHECKS,
  inject: [CHAT_STORE],
  useFactory: (store: ChatStore) => [mongoHealthCheck(store.db)],
};
