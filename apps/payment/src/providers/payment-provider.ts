import type { ProviderOutcome } from '../payments/payment-rules';

export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');

export type ProviderName = 'stripe' | 'test';

export interface CreateProviderPayment {
  orderId: string;
  /** Minor units. */
  amount: number;
  /** ISO 4217, upper case. */
  currency: string;
  customerEmail: string;
}

export interface ProviderPayment {
  providerPaymentId: string;
  clientSecret: string;
}

export interface ProviderRefund {
  /** The provider's id of the refund. */
  reference: string;
}

/** A verified webhook, reduced to what the state machine needs. */
export interface ProviderWebhookEvent {
  /** The provider's event id: the key of the webhook inbox. */
  id: string;
  type: string;
  /** Null for event types this service does not act on. */
  outcome: ProviderOutcome | null;
  providerPaymentId: string;
  /** From the intent's metadata, when present. */
  orderId: string;
  /** For failures and cancellations. */
  reason: string;
  /** The charge for a success, the latest refund for a refund, else the intent. */
  reference: string;
  /**
   * For a refund made at the provider (from Stripe's dashboard, or ours echoed back): its amount in
   * minor units, with the refund's id as `reference`. Null for other events.
   */
  refundAmount: number | null;
}

/** Where the money moves: Stripe, or the test provider when no Stripe credentials are given. */
export interface PaymentProvider {
  readonly name: ProviderName;
  /** Idempotent per order: asking again for the same order answers the same provider payment. */
  createPayment(input: CreateProviderPayment): Promise<ProviderPayment>;
  /** Calls off an unpaid payment; calling off one that is canceled already succeeds. */
  cancelPayment(providerPaymentId: string): Promise<void>;
  /** Gives back `amount`; the same idempotency key refunds once. */
  refund(input: { providerPaymentId: string; amount: number; idempotencyKey: string }): Promise<ProviderRefund>;
  /** Checks a webhook's signature over its raw bytes; throws AppError 'unauthenticated' when it is wrong. Absent without webhooks. */
  verifyWebhook?(payload: Buffer, signature: string): ProviderWebhookEvent;
}
