import {
  booleanFlag,
  checkElasticsearchAuth,
  checkRedisTls,
  commonSchema,
  elasticsearchAuthShape,
  eventBusShape,
  optionalUrl,
  port,
  postgresUrl,
  redisTlsShape,
  requireEventBus,
} from '@shop/config';
import { z } from 'zod';
import { SUPPORTED_LOCALES, supportedLocale } from './i18n/locales';

export const productConfigSchema = commonSchema
  .extend({
    ...eventBusShape,
    DATABASE_URL: postgresUrl,
    HOST: z.string().default('0.0.0.0'),
    GRPC_PORT: port(50053),
    HTTP_PORT: port(9103),
    MIGRATE_ON_START: booleanFlag(true),
    /** Elasticsearch serves search when set; otherwise Postgres full text does. */
    ELASTICSEARCH_URL: optionalUrl,
    ELASTICSEARCH_INDEX: z.string().regex(/^[a-z0-9_-]+$/).default('products'),
    ...elasticsearchAuthShape,
    /** Product detail is cached in Redis when set; otherwise in this process's memory. */
    REDIS_URL: optionalUrl,
    ...redisTlsShape,
    PRODUCT_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).default(300),
    SEARCH_MAX_LIMIT: z.coerce.number().int().min(1).max(1000).default(100),
    /** The language products' and categories' own names are in; translations add the others. */
    DEFAULT_LOCALE: z
      .string()
      .default('en')
      .transform((value, ctx) => {
        const locale = supportedLocale(value);
        if (!locale) ctx.addIssue({ code: 'custom', message: `must be one of ${SUPPORTED_LOCALES.join(', ')}` });
        return locale ?? 'en';
      }),
  })
  .superRefine((env, ctx) => {
    requireEventBus(env, ctx);
    checkElasticsearchAuth(env, ctx);
    checkRedisTls(env, ctx);
  });

export type ProductConfig = z.infer<typeof productConfigSchema>;
