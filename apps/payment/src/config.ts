import { booleanFlag, commonSchema, eventBusShape, port, postgresUrl, requireEventBus } from '@shop/config';
import { z } from 'zod';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalSecret = z.preprocess(emptyToUndefined, z.string().min(1).optional());

export const paymentConfigSchema = commonSchema
  .extend({
    ...eventBusShape,
    DATABASE_URL: postgresUrl,
    HOST: z.string().default('0.0.0.0'),
    GRPC_PORT: port(50056),
    HTTP_PORT: port(9106),
    MIGRATE_ON_START: booleanFlag(true),
    /**
     * Stripe's secret API key ("sk_…"), from the environment only and never logged. Without it the
     * service runs the test provider: payments that no real money stands behind.
     */
    STRIPE_SECRET_KEY: optionalSecret,
    /** The signing secret of the webhook endpoint ("whsec_…"); required with STRIPE_SECRET_KEY. */
    STRIPE_WEBHOOK_SECRET: optionalSecret,
    /** Where the Stripe API is: api.stripe.com by default, stripe-mock in tests. */
    STRIPE_API_HOST: z.preprocess(emptyToUndefined, z.string().optional()),
    STRIPE_API_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(65535).optional()),
    STRIPE_API_PROTOCOL: z.preprocess(emptyToUndefined, z.enum(['http', 'https']).optional()),
    /** How long one Stripe API call may take. */
    STRIPE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** Test provider only: every new payment succeeds right after it is created (the embedded default's convenience). */
    PAYMENT_TEST_AUTO_COMPLETE: booleanFlag(false),
  })
  .superRefine(requireEventBus)
  .superRefine((env, ctx) => {
    if (env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['STRIPE_WEBHOOK_SECRET'], message: 'is required with STRIPE_SECRET_KEY (webhooks cannot be verified without it)' });
    }
    if (env.STRIPE_SECRET_KEY && env.PAYMENT_TEST_AUTO_COMPLETE) {
      ctx.addIssue({ code: 'custom', path: ['PAYMENT_TEST_AUTO_COMPLETE'], message: 'only applies to the test provider; unset it or STRIPE_SECRET_KEY' });
    }
  });

export type PaymentConfig = z.infer<typeof paymentConfigSchema>;
