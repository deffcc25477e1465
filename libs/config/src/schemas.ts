import { z } from 'zod';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const optionalUrl = z.preprocess(emptyToUndefined, z.url().optional());

export const booleanFlag = (fallback: boolean) =>
  z.preprocess(
    (value) => (value === undefined || value === '' ? fallback : String(value).toLowerCase()),
    z.union([z.boolean(), z.enum(['true', '1', 'yes', 'false', '0', 'no']).transform((v) => ['true', '1', 'yes'].includes(v))]),
  );

export const commaList = z.preprocess(
  (value) =>
    value === undefined || value === ''
      ? []
      : String(value)
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
  z.array(z.string()),
);

export const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL');

/** Variables every service reads. */
export const commonSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
});

/** How a service reaches the event bus: Kafka when brokers are given, else the Postgres event log. */
export const eventBusShape = {
  KAFKA_BROKERS: commaList,
  KAFKA_CLIENT_ID: z.string().optional(),
  /** Prefixes every consumer group, so several deployments (or test runs) can share one broker. */
  EVENT_GROUP_PREFIX: z.string().default(''),
  /** Prefixes every topic: deployments (or test runs) sharing one broker then never see each other's events. */
  EVENT_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/).default(''),
  EVENTS_DATABASE_URL: z.preprocess(emptyToUndefined, postgresUrl.optional()),
};

/** Refinement for schemas that include eventBusShape. */
export function requireEventBus(env: { KAFKA_BROKERS: string[]; EVENTS_DATABASE_URL?: string }, ctx: z.RefinementCtx): void {
  if (env.KAFKA_BROKERS.length === 0 && !env.EVENTS_DATABASE_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['KAFKA_BROKERS'],
      message: 'set KAFKA_BROKERS, or EVENTS_DATABASE_URL for the embedded Postgres event log',
    });
  }
}

export type CommonConfig = z.infer<typeof commonSchema>;
export interface EventBusConfig {
  KAFKA_BROKERS: string[];
  KAFKA_CLIENT_ID?: string;
  EVENT_GROUP_PREFIX?: string;
  EVENT_TOPIC_PREFIX?: string;
  EVENTS_DATABASE_URL?: string;
}
