import { booleanFlag, commonSchema, eventBusShape, port, postgresUrl, refuseTestAllowanceOutsideTests, requireEventBus, testAllowanceShape } from '@shop/config';
import { z } from 'zod';
import { normalizeEmail } from './credentials/email';
import { assertPasswordPolicy } from './credentials/password-policy';

export const authConfigSchema = commonSchema
  .extend({
    ...eventBusShape,
    DATABASE_URL: postgresUrl,
    HOST: z.string().default('0.0.0.0'),
    GRPC_PORT: port(50051),
    HTTP_PORT: port(9101),
    MIGRATE_ON_START: booleanFlag(true),
    BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
    JWT_ISSUER: z.string().min(1).default('shop-auth'),
    JWT_AUDIENCE: z.string().min(1).default('shop'),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1).max(3600).default(900),
    REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(30 * 24 * 3600),
    SIGNING_KEY_ROTATION_DAYS: z.coerce.number().positive().default(30),
    // Rotations on request closer together than this are refused (429); 0 allows any.
    SIGNING_KEY_MIN_ROTATION_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(300),
    // Seals private signing keys in the database (AES-256-GCM); required in production.
    SIGNING_KEY_ENCRYPTION_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(32, 'must be at least 32 characters').optional()),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
    LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).default(60),
    /** Tests only: failed logins from a client on loopback are not counted (refused without NODE_ENV=test). See LoginThrottle.exempts. */
    ...testAllowanceShape,
    ADMIN_EMAIL: z.preprocess((v) => (v === '' ? undefined : v), z.email().optional()),
    ADMIN_PASSWORD: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  })
  .superRefine(requireEventBus)
  .superRefine(refuseTestAllowanceOutsideTests)
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'test' && env.BCRYPT_COST < 12) {
      ctx.addIssue({ code: 'custom', path: ['BCRYPT_COST'], message: 'must be at least 12 outside tests' });
    }
    if (env.NODE_ENV === 'production' && !env.SIGNING_KEY_ENCRYPTION_KEY) {
      ctx.addIssue({ code: 'custom', path: ['SIGNING_KEY_ENCRYPTION_KEY'], message: 'is required in production, so the database alone cannot sign tokens' });
    }
    if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
      ctx.addIssue({ code: 'custom', path: ['ADMIN_PASSWORD'], message: 'ADMIN_EMAIL and ADMIN_PASSWORD go together' });
    } else if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) {
      // The first admin is registered like anyone else: a password the policy refuses would stop auth
      // later, at bootstrap, with a less helpful message. Say it here, naming the variable.
      try {
        assertPasswordPolicy(env.ADMIN_PASSWORD, normalizeEmail(env.ADMIN_EMAIL));
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['ADMIN_PASSWORD'], message: `the password policy refuses it: ${(error as Error).message}` });
      }
    }
  });

export type AuthConfig = z.infer<typeof authConfigSchema>;
