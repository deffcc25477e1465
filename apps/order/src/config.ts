import { booleanFlag, commonSchema, eventBusShape, port, postgresUrl, requireEventBus } from '@shop/config';
import { z } from 'zod';

export const orderConfigSchema = commonSchema
  .extend({
    ...eventBusShape,
    DATABASE_URL: postgresUrl,
    HOST: z.string().default('0.0.0.0'),
    GRPC_PORT: port(50055),
    HTTP_PORT: port(9105),
    MIGRATE_ON_START: booleanFlag(true),
    /** Prices, names and whether a SKU may be bought. */
    PRODUCT_GRPC_URL: z.string().min(1).default('127.0.0.1:50053'),
    /** Availability shown in the cart. */
    INVENTORY_GRPC_URL: z.string().min(1).default('127.0.0.1:50054'),
    GRPC_DEADLINE_MS: z.coerce.number().int().min(50).max(60_000).default(3000),
    CIRCUIT_FAILURE_THRESHOLD: z.coerce.number().int().min(1).default(5),
    CIRCUIT_OPEN_MS: z.coerce.number().int().min(100).default(10_000),
    /** An order still PENDING or AWAITING_PAYMENT this long after its last change is cancelled. */
    CHECKOUT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(7 * 24 * 3600).default(900),
    /** Unpaid orders (PENDING, AWAITING_PAYMENT) one shopper may hold at once: each keeps its stock reserved until paid or timed out. */
    MAX_UNPAID_ORDERS: z.coerce.number().int().min(1).max(1000).default(3),
    /** Units of one SKU one shopper may hold across their unpaid orders (a cart line holds at most 100). */
    MAX_UNPAID_UNITS_PER_SKU: z.coerce.number().int().min(1).max(1_000_000).default(100),
    /** Shared with the chatbot-bridge: the key bargaining offer codes are signed with. Without it POST /orders refuses offer codes. */
    OFFER_SIGNING_KEY: z.string().min(32).optional(),
    /** How often the sweeper looks for checkouts that timed out (it drains every due one each time). */
    SWEEP_INTERVAL_MS: z.coerce.number().int().min(10).max(3600_000).default(5000),
  })
  .superRefine(requireEventBus);

export type OrderConfig = z.infer<typeof orderConfigSchema>;
