import {
  booleanFlag,
  checkRedisTls,
  commaList,
  commonSchema,
  eventBusShape,
  optionalUrl,
  port,
  redisTlsShape,
  refuseTestAllowanceOutsideTests,
  requireEventBus,
  testAllowanceShape,
} from '@shop/config';
import { CATALOGUE_LOCALES, catalogueLocale } from '@shop/validation';
import { z } from 'zod';

export const gatewayConfigSchema = commonSchema
  .extend({
    ...eventBusShape,
    HOST: z.string().default('0.0.0.0'),
    PORT: port(8080),
    AUTH_GRPC_URL: z.string().min(1).default('127.0.0.1:50051'),
    USER_GRPC_URL: z.string().min(1).default('127.0.0.1:50052'),
    PRODUCT_GRPC_URL: z.string().min(1).default('127.0.0.1:50053'),
    INVENTORY_GRPC_URL: z.string().min(1).default('127.0.0.1:50054'),
    ORDER_GRPC_URL: z.string().min(1).default('127.0.0.1:50055'),
    PAYMENT_GRPC_URL: z.string().min(1).default('127.0.0.1:50056'),
    NOTIFICATION_GRPC_URL: z.string().min(1).default('127.0.0.1:50057'),
    /** The chatbot-bridge (shopper chat and bargaining). */
    CHAT_GRPC_URL: z.string().min(1).default('127.0.0.1:50059'),
    /** A chat turn waits for the model (up to LLM_MAX_TOOL_ROUNDS calls of LLM_TIMEOUT_MS each on the bridge), so it has its own deadline. */
    CHAT_GRPC_DEADLINE_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
    REVIEW_GRPC_URL: z.string().min(1).default('127.0.0.1:50058'),
    /** The language the catalogue's own text is in, answered when no asked-for language is translated; as the product service's. */
    DEFAULT_LOCALE: z
      .string()
      .default('en')
      .transform((value, ctx) => {
        const locale = catalogueLocale(value);
        if (!locale) ctx.addIssue({ code: 'custom', message: `must be one of ${CATALOGUE_LOCALES.join(', ')}` });
        return locale ?? 'en';
      }),
    GRPC_DEADLINE_MS: z.coerce.number().int().min(50).max(60_000).default(3000),
    CIRCUIT_FAILURE_THRESHOLD: z.coerce.number().int().min(1).default(5),
    CIRCUIT_OPEN_MS: z.coerce.number().int().min(100).default(10_000),
    REDIS_URL: optionalUrl,
    ...redisTlsShape,
    JWT_ISSUER: z.string().min(1).default('shop-auth'),
    JWT_AUDIENCE: z.string().min(1).default('shop'),
    /** How often auth's list of revoked access is read again: the bound on a revocation no event brought (see AccessChangesConsumer). */
    ACCESS_REVOCATIONS_SYNC_SECONDS: z.coerce.number().int().min(1).max(300).default(5),
    CORS_ORIGINS: commaList,
    TRUST_PROXY: booleanFlag(false),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(100 * 1024),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
    RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(1200),
    RATE_LIMIT_PER_USER: z.coerce.number().int().min(1).default(600),
    RATE_LIMIT_AUTH_PER_IP: z.coerce.number().int().min(1).default(20),
    /** Tests only: rate limits do not count a client on loopback (refused without NODE_ENV=test). See rateLimitExempt. */
    ...testAllowanceShape,
    /** Public catalogue answers the gateway keeps, dropped as catalogue and stock events arrive. */
    CATALOGUE_CACHE_ENTRIES: z.coerce.number().int().min(0).default(10_000),
    /** And at most this much of them, in MB (of JSON text): a page of 100 reviews is a hundred times a category list. */
    CATALOGUE_CACHE_MB: z.coerce.number().int().min(0).max(4096).default(24),
    /** The longest a kept answer (catalogue or profile) is served without being read again, should events stop arriving. */
    CATALOGUE_CACHE_MAX_AGE_SECONDS: z.coerce.number().int().min(1).default(60),
    /** Shoppers' profiles the gateway keeps, dropped as user.profile_changed events arrive. */
    PROFILE_CACHE_ENTRIES: z.coerce.number().int().min(0).default(20_000),
    /** Cache-Control max-age of public catalogue answers, for caches in front of the gateway. */
    CATALOGUE_HTTP_MAX_AGE_SECONDS: z.coerce.number().int().min(0).default(10),
    /** A comment line sent on every open notification stream this often keeps proxies from closing it. */
    NOTIFICATION_STREAM_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
    /** Open notification streams per user on one gateway; opening one more closes that user's oldest. */
    NOTIFICATION_STREAMS_PER_USER: z.coerce.number().int().min(1).max(100).default(5),
    /**
     * A notification stream is ended after this long (the client reconnects with Last-Event-ID and a
     * token still valid): no stream outlives the access token it was opened with by much.
     */
    NOTIFICATION_STREAM_MAX_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  })
  .superRefine((env, ctx) => {
    requireEventBus(env, ctx);
    checkRedisTls(env, ctx);
  })
  .superRefine(refuseTestAllowanceOutsideTests);

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
