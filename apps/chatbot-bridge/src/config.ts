import { booleanFlag, commonSchema, port } from '@shop/config';
import { isMongoUrl } from '@shop/mongo';
import { z } from 'zod';

export const chatConfigSchema = commonSchema.extend({
  /** Conversations, bargaining rules, offers and handovers (a real MongoDB or FerretDB). */
  MONGO_URL: z.string().refine(isMongoUrl, 'must be a mongodb:// or mongodb+srv:// URL naming the database, e.g. mongodb://mongo:27017/shop_chat'),
  HOST: z.string().default('0.0.0.0'),
  GRPC_PORT: port(50059),
  HTTP_PORT: port(9109),
  MIGRATE_ON_START: booleanFlag(true),
  PRODUCT_GRPC_URL: z.string().min(1).default('127.0.0.1:50053'),
  INVENTORY_GRPC_URL: z.string().min(1).default('127.0.0.1:50054'),
  ORDER_GRPC_URL: z.string().min(1).default('127.0.0.1:50055'),
  GRPC_DEADLINE_MS: z.coerce.number().int().min(50).max(60_000).default(3000),
  CIRCUIT_FAILURE_THRESHOLD: z.coerce.number().int().min(1).default(5),
  CIRCUIT_OPEN_MS: z.coerce.number().int().min(100).default(10_000),
  /** Shared with the order service, which checks offer codes again at checkout. */
  OFFER_SIGNING_KEY: z.string().min(32),
  /** Shopper messages one session takes; past it SendMessage is RESOURCE_EXHAUSTED. */
  CHAT_MAX_TURNS_PER_SESSION: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Shopper messages one shopper may send per UTC day across sessions. */
  CHAT_MAX_TURNS_PER_DAY: z.coerce.number().int().min(1).max(100_000).default(200),
  CHAT_MAX_MESSAGE_CHARS: z.coerce.number().int().min(10).max(10_000).default(1000),
});

export type ChatConfig = z.infer<typeof chatConfigSchema>;
