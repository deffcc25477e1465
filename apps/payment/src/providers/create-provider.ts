import type { PaymentConfig } from '../config';
import type { PaymentProvider } from './payment-provider';
import { StripeProvider } from './stripe-provider';
import { TestProvider } from './test-provider';

/** Stripe when STRIPE_SECRET_KEY is set, else the test provider. */
export function createPaymentProvider(config: PaymentConfig): PaymentProvider {
  if (!config.STRIPE_SECRET_KEY) return new TestProvider();
  return new StripeProvider({
    secretKey: config.STRIPE_SECRET_KEY,
    // The schema requires it with the key.
    webhookSecret: config.STRIPE_WEBHOOK_SECRET ?? '',
    host: config.STRIPE_API_HOST,
    port: config.STRIPE_API_PORT,
    protocol: config.STRIPE_API_PROTOCOL,
    timeoutMs: config.STRIPE_TIMEOUT_MS,
  });
}
