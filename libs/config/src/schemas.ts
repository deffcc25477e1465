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

const optionalText = z.preprocess(emptyToUndefined, z.string().optional());
/** A file the service reads at start (a PEM certificate or key, typically a mounted Secret). */
const optionalFile = z.preprocess(emptyToUndefined, z.string().optional());

export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/**
 * How the Kafka client authenticates and encrypts (managed Kafka, Strimzi, Confluent Cloud):
 * TLS with the system's CAs (`KAFKA_SSL=true`), or a CA of its own and a client certificate
 * (PEM files); SASL PLAIN or SCRAM over it (or over plain TCP inside a trusted network).
 */
export const kafkaSecurityShape = {
  KAFKA_SSL: booleanFlag(false),
  KAFKA_SSL_CA_FILE: optionalFile,
  KAFKA_SSL_CERT_FILE: optionalFile,
  KAFKA_SSL_KEY_FILE: optionalFile,
  KAFKA_SASL_MECHANISM: z.preprocess(
    (value) => (value === undefined || value === '' ? undefined : String(value).toLowerCase()),
    z.enum(KAFKA_SASL_MECHANISMS).optional(),
  ),
  KAFKA_SASL_USERNAME: optionalText,
  KAFKA_SASL_PASSWORD: optionalText,
};

export interface KafkaSecurityConfig {
  KAFKA_SSL?: boolean;
  KAFKA_SSL_CA_FILE?: string;
  KAFKA_SSL_CERT_FILE?: string;
  KAFKA_SSL_KEY_FILE?: string;
  KAFKA_SASL_MECHANISM?: (typeof KAFKA_SASL_MECHANISMS)[number];
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
}

/** Half a Kafka security configuration is refused at start, naming what is missing. */
export function checkKafkaSecurity(env: KafkaSecurityConfig, ctx: z.RefinementCtx): void {
  if (env.KAFKA_SASL_MECHANISM) {
    for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: `required with KAFKA_SASL_MECHANISM=${env.KAFKA_SASL_MECHANISM}` });
    }
  } else if (env.KAFKA_SASL_USERNAME || env.KAFKA_SASL_PASSWORD) {
    ctx.addIssue({ code: 'custom', path: ['KAFKA_SASL_MECHANISM'], message: `set it (${KAFKA_SASL_MECHANISMS.join(', ')}) to use KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD` });
  }
  if (Boolean(env.KAFKA_SSL_CERT_FILE) !== Boolean(env.KAFKA_SSL_KEY_FILE)) {
    const missing = env.KAFKA_SSL_CERT_FILE ? 'KAFKA_SSL_KEY_FILE' : 'KAFKA_SSL_CERT_FILE';
    ctx.addIssue({ code: 'custom', path: [missing], message: 'a client certificate needs both KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE' });
  }
}

/** Elasticsearch credentials (an API key, or a user and password) and the CA of an https endpoint. */
export const elasticsearchAuthShape = {
  /** The encoded API key Elasticsearch answers to POST /_security/api_key (`encoded`), as Elastic Cloud shows it. */
  ELASTICSEARCH_API_KEY: optionalText,
  ELASTICSEARCH_USERNAME: optionalText,
  ELASTICSEARCH_PASSWORD: optionalText,
  /** A PEM CA to verify an https ELASTICSEARCH_URL with (a self-managed cluster's own CA); else the system's. */
  ELASTICSEARCH_CA_FILE: optionalFile,
};

export interface ElasticsearchAuthConfig {
  ELASTICSEARCH_URL?: string;
  ELASTICSEARCH_API_KEY?: string;
  ELASTICSEARCH_USERNAME?: string;
  ELASTICSEARCH_PASSWORD?: string;
  ELASTICSEARCH_CA_FILE?: string;
}

export function checkElasticsearchAuth(env: ElasticsearchAuthConfig, ctx: z.RefinementCtx): void {
  const given = (['ELASTICSEARCH_API_KEY', 'ELASTICSEARCH_USERNAME', 'ELASTICSEARCH_PASSWORD', 'ELASTICSEARCH_CA_FILE'] as const).filter((name) => env[name]);
  if (!env.ELASTICSEARCH_URL) {
    for (const name of given) ctx.addIssue({ code: 'custom', path: [name], message: 'needs ELASTICSEARCH_URL' });
    return;
  }
  if (env.ELASTICSEARCH_API_KEY && (env.ELASTICSEARCH_USERNAME || env.ELASTICSEARCH_PASSWORD)) {
    ctx.addIssue({ code: 'custom', path: ['ELASTICSEARCH_API_KEY'], message: 'give an API key or ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD, not both' });
  }
  if (Boolean(env.ELASTICSEARCH_USERNAME) !== Boolean(env.ELASTICSEARCH_PASSWORD)) {
    const missing = env.ELASTICSEARCH_USERNAME ? 'ELASTICSEARCH_PASSWORD' : 'ELASTICSEARCH_USERNAME';
    ctx.addIssue({ code: 'custom', path: [missing], message: 'basic auth needs both ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD' });
  }
  if (env.ELASTICSEARCH_CA_FILE && !env.ELASTICSEARCH_URL.startsWith('https:')) {
    ctx.addIssue({ code: 'custom', path: ['ELASTICSEARCH_CA_FILE'], message: 'a CA is for an https:// ELASTICSEARCH_URL' });
  }
}

/** The CA of a `rediss://` REDIS_URL (a managed Redis with a private CA); without it the system's CAs verify the server. */
export const redisTlsShape = {
  REDIS_TLS_CA_FILE: optionalFile,
};

export function checkRedisTls(env: { REDIS_URL?: string; REDIS_TLS_CA_FILE?: string }, ctx: z.RefinementCtx): void {
  if (env.REDIS_TLS_CA_FILE && !env.REDIS_URL?.toLowerCase().startsWith('rediss://')) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_TLS_CA_FILE'], message: 'a CA is for a rediss:// REDIS_URL (Redis over TLS)' });
  }
}

/** How a service reaches the event bus: Kafka when brokers are given, else the Postgres event log. */
export const eventBusShape = {
  KAFKA_BROKERS: commaList,
  KAFKA_CLIENT_ID: z.string().optional(),
  ...kafkaSecurityShape,
  /** Prefixes every consumer group, so several deployments (or test runs) can share one broker. */
  EVENT_GROUP_PREFIX: z.string().default(''),
  /** Prefixes every topic: deployments (or test runs) sharing one broker then never see each other's events. */
  EVENT_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/).default(''),
  EVENTS_DATABASE_URL: z.preprocess(emptyToUndefined, postgresUrl.optional()),
};

/** Refinement for schemas that include eventBusShape. */
export function requireEventBus(env: { KAFKA_BROKERS: string[]; EVENTS_DATABASE_URL?: string } & KafkaSecurityConfig, ctx: z.RefinementCtx): void {
  checkKafkaSecurity(env, ctx);
  if (env.KAFKA_BROKERS.length === 0 && !env.EVENTS_DATABASE_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['KAFKA_BROKERS'],
      message: 'set KAFKA_BROKERS, or EVENTS_DATABASE_URL for the embedded Postgres event log',
    });
  }
}

export type CommonConfig = z.infer<typeof commonSchema>;
export interface EventBusConfig extends KafkaSecurityConfig {
  KAFKA_BROKERS: string[];
  KAFKA_CLIENT_ID?: string;
  EVENT_GROUP_PREFIX?: string;
  EVENT_TOPIC_PREFIX?: string;
  EVENTS_DATABASE_URL?: string;
}
