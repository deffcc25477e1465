import { randomBytes, randomUUID } from 'node:crypto';
import type { CreateProviderPayment, PaymentProvider, ProviderPayment, ProviderRefund } from './payment-provider';

/**
 * The provider without a provider: ids shaped like Stripe's ("test_pi_…"), no network, no money.
 * The shopper's side (paying, succeeding or failing) is CompleteTestPayment, which goes through the
 * same state machine as a Stripe webhook.
 */
export class TestProvider implements PaymentProvider {
  readonly name = 'test' as const;

  async createPayment(_input: CreateProviderPayment): Promise<ProviderPayment> {
    const providerPaymentId = `test_pi_${randomUUID()}`;
    return { providerPaymentId, clientSecret: `${providerPaymentId}_secret_${randomBytes(12).toString('hex')}` };
  }

  async cancelPayment(_providerPaymentId: string): Promise<void> {
    // Nothing to call off anywhere.
  }

  async refund(_input: { providerPaymentId: string; amount: number; idempotencyKey: string }): Promise<ProviderRefund> {
    return { reference: `test_re_${randomUUID()}` };
  }
}
