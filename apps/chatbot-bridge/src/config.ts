import { booleanFlag, commonSchema, optionalUrl, port } from '@shop/config';
import { isMongoUrl } from '@shop/mongo';
import { z } from 'zod';

export const chatConfigSchema = commonSchema
  .extend({
  /** Conversations, bargaining rules, offers and handovers (a real MongoDB or FerretDB). */
  MONGO_URL: z.string().refine(isMongoUrl, 'must be a mongodb:// or mongodb+srv:// URL naming the database, e.g. mongodb://mongo:27017/shop_chat'),
  /**
   * Connections to MongoDB. Each message takes three operations (session read, day count, turn
   * write) while its model call is in flight, so a few hundred concurrent chats need more than the
   * driver's usual handful; fewer queue inside the driver.
   */
  MONGO_MAX_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
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
  /** An OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp's server), e.g. http://ollama:11434/v1; without it the built-in assistant answers. */
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().min(1).optional(),
  /** Deadline of each model call (each retry gets its own). */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
  /** Retries of a failed model call, with exponential back-off (the client's own). */
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** max_tokens of each model reply. */
  LLM_MAX_TOKENS: z.coerce.number().int().min(16).max(32_000).default(512),
  /** Model calls one shopper message may take (each round of tool calls is one). */
  LLM_MAX_TOOL_ROUNDS: z.coerce.number().int().min(1).max(20).default(4),
  /** Tokens one session may spend on the model; past it SendMessage is RESOURCE_EXHAUSTED. */
  LLM_MAX_TOKENS_PER_SESSION: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
  /** Consecutive failed model calls that open the circuit; while open the built-in assistant answers. */
  LLM_CIRCUIT_FAILURE_THRESHOLD: z.coerce.number().int().min(1).default(5),
  LLM_CIRCUIT_OPEN_MS: z.coerce.number().int().min(100).default(30_000),
  })
  .refine((config) => !config.LLM_BASE_URL || config.LLM_MODEL, { message: 'LLM_MODEL is required with LLM_BASE_URL', path: ['LLM_MODEL'] });

export type ChatConfig = z.infer<typeof chatConfigSchema>;

/** The name the deploy test looks for (apps/<app>/src/config.ts exports `<app>ConfigSchema`, camel-cased). */
export const chatbotBridgeConfigSchema = chatConfigSchema;
