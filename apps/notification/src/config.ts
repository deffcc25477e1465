import { booleanFlag, commonSchema, eventBusShape, port, postgresUrl, requireEventBus } from '@shop/config';
import { z } from 'zod';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

/** `90s`, `30m`, `24h`, `2d`, `500ms`, or a number of seconds. */
export function parseDuration(value: string): number | undefined {
  const match = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] ?? 's']!;
}

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined || ms < 1000) {
        ctx.addIssue({ code: 'custom', message: 'must be a duration of at least a second, like "24h", "30m", "90s" or a number of seconds' });
        return z.NEVER;
      }
      return ms;
    });

/** `smtp://[user:pass@]host:port` (STARTTLS when the server offers it) or `smtps://…` (TLS from the start). */
const smtpUrl = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .refine((value) => /^smtps?:\/\/[^/]+$/.test(value.replace(/\/$/, '')) && URL.canParse(value), 'must be smtp://[user:pass@]host:port or smtps://…')
    .optional(),
);

export const notificationConfigSchema = commonSchema
  .extend({
    ...eventBusShape,
    DATABASE_URL: postgresUrl,
    HOST: z.string().default('0.0.0.0'),
    GRPC_PORT: port(50057),
    HTTP_PORT: port(9107),
    MIGRATE_ON_START: booleanFlag(true),
    /** Profiles (email address, name, locale) of the people notified. */
    USER_GRPC_URL: z.string().min(1).default('127.0.0.1:50052'),
    /** Who an order belongs to (refunds), carts (abandoned-cart reminders). */
    ORDER_GRPC_URL: z.string().min(1).default('127.0.0.1:50055'),
    GRPC_DEADLINE_MS: z.coerce.number().int().min(50).max(60_000).default(3000),
    CIRCUIT_FAILURE_THRESHOLD: z.coerce.number().int().min(1).default(5),
    CIRCUIT_OPEN_MS: z.coerce.number().int().min(100).default(10_000),
    /** Where mail goes; without it, each mail is written as an .eml file under MAIL_DIR. */
    SMTP_URL: smtpUrl,
    MAIL_FROM: z.string().min(3).default('Shop <no-reply@shop.local>'),
    MAIL_DIR: z.string().min(1).default('.data/mail'),
    /** Connecting, greeting and each SMTP reply must take less than this. */
    SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** A mail that failed this many times is given up: it goes to notification.email.dlq. */
    EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
    /** The wait after the first failed send, doubling after each further failure up to EMAIL_RETRY_MAX_MS. */
    EMAIL_RETRY_INITIAL_MS: z.coerce.number().int().min(10).default(5000),
    EMAIL_RETRY_MAX_MS: z.coerce.number().int().min(10).default(15 * 60_000),
    /** How often the mail dispatcher looks for due mail besides being woken by new mail. */
    EMAIL_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(3600_000).default(1000),
    /** Mails sent at once by one replica. */
    EMAIL_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
    /** Sent mails (their bodies) are kept this long, then deleted; given-up ones stay until dealt with. */
    EMAIL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /**
     * Events older than this tell nobody (their recipients' details are still kept): a first start on
     * a platform with history, or a bus that was down for days, does not mail about the distant past.
     */
    NOTIFICATION_MAX_EVENT_AGE: duration('24h'),
    /** A cart with lines that nobody changed for this long (and no order came from) gets one reminder. */
    ABANDONED_CART_AFTER: duration('24h'),
    /** How often the scheduler (one across replicas) looks for abandoned carts. */
    ABANDONED_CART_SCAN_INTERVAL_MS: z.coerce.number().int().min(100).max(24 * 3600_000).default(60_000),
  })
  .superRefine(requireEventBus)
  .superRefine((env, ctx) => {
    if (env.EMAIL_RETRY_MAX_MS < env.EMAIL_RETRY_INITIAL_MS) {
      ctx.addIssue({ code: 'custom', path: ['EMAIL_RETRY_MAX_MS'], message: 'must be at least EMAIL_RETRY_INITIAL_MS' });
    }
  });

export type NotificationConfig = z.infer<typeof notificationConfigSchema>;
