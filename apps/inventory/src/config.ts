import { booleanFlag, commonSchema, eventBusShape, port, postgresUrl, requireEventBus } from '@shop/config';
import { z } from 'zod';

/** The longest a reservation may hold stock without a commit, by default or on request. */
export const MAX_RESERVATION_TTL_SECONDS = 24 * 3600;

export const inventoryConfigSchema = commonSchema
  .extend({
    ...eventBusShape,
    DATABASE_URL: postgresUrl,
    HOST: z.string().default('0.0.0.0'),
    GRPC_PORT: port(50054),
    HTTP_PORT: port(9104),
    MIGRATE_ON_START: booleanFlag(true),
    /** How long a reservation holds its units when the caller gives no TTL. */
    RESERVATION_TTL_SECONDS: z.coerce.number().int().min(1).max(MAX_RESERVATION_TTL_SECONDS).default(2400),
    /** How often the sweeper looks for expired reservations (it drains every due one each time). */
    SWEEP_INTERVAL_MS: z.coerce.number().int().min(10).max(3600_000).default(5000),
  })
  .superRefine(requireEventBus);

export type InventoryConfig = z.infer<typeof inventoryConfigSchema>;
