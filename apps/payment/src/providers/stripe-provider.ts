import { AppError } from '@shop/errors';
import Stripe from 'stripe';
import type { ProviderOutcome } from '../payments/payment-rules';
import type { CreateProviderPayment, PaymentProvider, ProviderPayment, ProviderRefund, ProviderWebhookEvent } from './payment-provider';

export interface StripeProviderOptions {
  secretKey: string;
  webhookSecret: string;
  /** api.stripe.com unless given (stripe-mock in tests). */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  timeoutMs: number;
}

// A refund made at Stripe (from its dashboard, say) reaches us as one of these, as do our own.
const REFUND_EVENTS = new Set(['refund.created', 'refund.updated']);

const OUTCOMES: Record<string, ProviderOutcome> = {
  'payment_intent.processing': 'processing',
  'payment_intent.succeeded': 'succeeded',
  'payment_intent.payment_failed': 'failed',
  'payment_intent.canceled': 'canceled',
};

/**
 * Stripe PaymentIntents. The secret key stays inside the Stripe client: it is never logged nor
 * put in an error. Every write carries an idempotency key, so a retried call does its work once.
 */
export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  private readonly stripe: Stripe;

  constructor(private readonly options: StripeProviderOptions) {
    this.stripe = new Stripe(options.secretKey, {
      host: options.host,
      port: options.port,
      protocol: options.protocol,
      timeout: options.timeoutMs,
      maxNetworkRetries: 2,
      appInfo: { name: 'shop-platform payment service' },
    });
  }

  async createPayment(input: CreateProviderPayment): Promise<ProviderPayment> {
    const intent = await call(() =>
      this.stripe.paymentIntents.create(
        {
          amount: input.amount,
          currency: input.currency.toLowerCase(),
          metadata: { orderId: input.orderId },
          automatic_payment_methods: { enabled: true },
          ...(input.customerEmail ? { receipt_email: input.customerEmail } : {}),
        },
        // Stripe answers the same intent for the same key (for 24 hours): one intent per order.
        { idempotencyKey: `order-${input.orderId}` },
      ),
    );
    if (!intent.client_secret) throw new AppError('unavailable', 'Stripe answered a payment intent without a client secret');
    return { providerPaymentId: intent.id, clientSecret: intent.client_secret };
  }

  async cancelPayment(providerPaymentId: string): Promise<void> {
    try {
      await this.stripe.paymentIntents.cancel(providerPaymentId, {}, { idempotencyKey: `cancel-${providerPaymentId}` });
    } catch (error) {
      // Cancelling twice is fine; cancelling what was paid meanwhile is not (the caller refunds instead, on retry).
      if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'payment_intent_unexpected_state') {
        const intent = await call(() => this.stripe.paymentIntents.retrieve(providerPaymentId));
        if (intent.status === 'canceled') return;
        throw new AppError('failed_precondition', `the Stripe payment intent is ${intent.status}, it cannot be canceled`);
      }
      throw toAppError(error);
    }
  }

  async refund(input: { providerPaymentId: string; amount: number; idempotencyKey: string }): Promise<ProviderRefund> {
    const refund = await call(() =>
      this.stripe.refunds.create({ payment_intent: input.providerPaymentId, amount: input.amount }, { idempotencyKey: input.idempotencyKey }),
    );
    return { reference: refund.id };
  }

  verifyWebhook(payload: Buffer, signature: string): ProviderWebhookEvent {
    if (!signature) throw new AppError('unauthenticated', 'the Stripe-Signature header is missing');
    let event: Stripe.Event;
    try {
      // Over the raw bytes as received: any re-serialisation would break the signature.
      event = this.stripe.webhooks.constructEvent(payload, signature, this.options.webhookSecret);
    } catch {
      throw new AppError('unauthenticated', 'the webhook signature does not match');
    }
    return toWebhookEvent(event);
  }
}

/**
 * A verified Stripe event, reduced to what the state machine needs: payment intent outcomes, and
 * refunds however they were made. Other types have neither.
 */
export function toWebhookEvent(event: Stripe.Event): ProviderWebhookEvent {
  const outcome = OUTCOMES[event.type] ?? null;
  const base = { id: event.id, type: event.type, outcome, providerPaymentId: '', orderId: '', reason: '', reference: '', refundAmount: null };
  if (REFUND_EVENTS.has(event.type)) return toRefundEvent(base, event.data?.object as Partial<Stripe.Refund> | undefined);
  const object = event.data?.object as Partial<Stripe.PaymentIntent> | undefined;
  if (!outcome || !object || object.object !== 'payment_intent' || typeof object.id !== 'string') return { ...base, outcome: null };
  const charge = typeof object.latest_charge === 'string' ? object.latest_charge : object.latest_charge?.id;
  return {
    ...base,
    providerPaymentId: object.id,
    orderId: typeof object.metadata?.orderId === 'string' ? object.metadata.orderId : '',
    reason:
      outcome === 'failed'
        ? (object.last_payment_error?.message ?? object.last_payment_error?.code ?? 'the payment failed')
        : outcome === 'canceled'
          ? (object.cancellation_reason ?? 'canceled at Stripe')
          : '',
    reference: outcome === 'succeeded' ? (charge ?? object.id) : object.id,
  };
}

/** A refund that stands (pending or done): failed and canceled ones moved no money. */
function toRefundEvent(base: ProviderWebhookEvent, refund: Partial<Stripe.Refund> | undefined): ProviderWebhookEvent {
  const intent = typeof refund?.payment_intent === 'string' ? refund.payment_intent : refund?.payment_intent?.id;
  const stands = refund?.status === 'succeeded' || refund?.status === 'pending';
  if (!refund || refund.object !== 'refund' || typeof refund.id !== 'string' || !intent || !Number.isInteger(refund.amount) || !stands) return base;
  return {
    ...base,
    providerPaymentId: intent,
    orderId: typeof refund.metadata?.orderId === 'string' ? refund.metadata.orderId : '',
    reason: refund.reason ?? 'refunded at Stripe',
    reference: refund.id,
    refundAmount: refund.amount!,
  };
}

async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw toAppError(error);
  }
}

/** Stripe's errors as the kinds callers understand; the message is Stripe's, which never holds the key. */
function toAppError(error: unknown): Error {
  if (error instanceof AppError) return error;
  if (error instanceof Stripe.errors.StripeError) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeCardError) {
      return new AppError('failed_precondition', `Stripe refused: ${error.message}`);
    }
    if (error instanceof Stripe.errors.StripeRateLimitError) return new AppError('unavailable', 'Stripe is rate limiting; try again');
    // Connection, API, authentication and permission errors: not the caller's fault, and retrying may help.
    return new AppError('unavailable', `Stripe is unavailable (${error.type})`);
  }
  return error instanceof Error ? error : new Error(String(error));
}
