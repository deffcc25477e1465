import { booleanFlag, commonSchema, eventBusShape, port, postgresUrl, requireEventBus } from '@shop/config';
import { z } from 'zod';

export const userConfigSchema = commonSchema
  .extend({
    ...eventBusShape,
    DATABASE_URL: postgresUrl,
    HOST: z.string().default('0.0.0.0'),
    GRPC_PORT: port(50052),
    HTTP_PORT: port(9102),
    MIGRATE_ON_START: booleanFlag(true),
    MAX_ADDRESSES_PER_USER: z.coerce.number().int().min(1).default(20),
  })
  .superRefine(requireEventBus);

export type UserConfig = z.infer<typeof userConfigSchema>;
