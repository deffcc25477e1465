import { AppError } from '@shop/errors';
import { isUuid } from '@shop/validation';

export const MAX_ORDER_ID_LENGTH = 128;
export const MAX_REASON_LENGTH = 500;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** Stripe's own ceiling for most currencies (8 digits of minor units); it also fits the int column. */
export const MAX_AMOUNT = 99_999_999;

export const PAYMENT_STATUSES = ['requires_payment', 'processing', 'succeeded', 'failed', 'canceled', 'partially_refunded', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** What the provider says happened to a payment: a webhook, or the shopper's side of a test payment. */
export type ProviderOutcome = 'processing' | 'succeeded' | 'failed' | 'canceled';

export type TransitionDecision = { action: 'apply'; to: PaymentStatus } | { action: 'ignore'; why: 'duplicate' | 'stale' };

/**
 * The state machine for what the provider reports. It only moves forward:
 *
 *   requires_payment → processing → succeeded → partially_refunded → refunded
 *          │               │    ↘       ↑            (refunds, not the provider: see planRefund)
 *          │               │     failed ┘ (a retry on the same intent succeeded)
 *          └───────────────┴──→ canceled, also from failed
 *
 * `failed` is not final: a Stripe PaymentIntent goes back to requires_payment_method after a failed
 * attempt and may still succeed, so a success after a failure is applied (the money moved). Anything
 * reported for a payment that succeeded (a late or out-of-order failure, processing, canceled) is
 * stale and ignored, as is anything after canceled: whichever order the webhooks arrive in, the
 * payment ends in the one state the provider ends in. The same outcome twice is a duplicate.
 */
export function outcomeTransition(current: PaymentStatus, outcome: ProviderOutcome): TransitionDecision {
  if (outcomeTarget(outcome) === current) return { action: 'ignore', why: 'duplicate' };
  const allowedFrom: Record<ProviderOutcome, PaymentStatus[]> = {
    processing: ['requires_payment'],
    succeeded: ['requires_payment', 'processing', 'failed'],
    failed: ['requires_payment', 'processing'],
    canceled: ['requires_payment', 'processing', 'failed'],
  };
  return allowedFrom[outcome].includes(current) ? { action: 'apply', to: outcomeTarget(outcome) } : { action: 'ignore', why: 'stale' };
}

function outcomeTarget(outcome: ProviderOutcome): PaymentStatus {
  return outcome;
}

export type CancelAction = 'cancel' | 'refund_rest' | 'unchanged';

/** CancelPayment: call off what is unpaid, give back what was paid, leave what is over alone. */
export function cancelAction(status: PaymentStatus): CancelAction {
  switch (status) {
    case 'requires_payment':
    case 'processing':
    case 'failed':
      return 'cancel';
    case 'succeeded':
    case 'partially_refunded':
      return 'refund_rest';
    case 'canceled':
    case 'refunded':
      return 'unchanged';
  }
}

export interface Refundable {
  status: PaymentStatus;
  amount: number;
  amountRefunded: number;
}

/**
 * How much a refund gives back: `requested`, or all that is left when it is 0. Only a payment that
 * succeeded can be refunded, and never by more than what is left.
 */
export function planRefund(payment: Refundable, requested: number): number {
  if (!Number.isInteger(requested) || requested < 0) throw AppError.invalid('amount must be a whole number of minor units, 0 for all that is left');
  if (payment.status !== 'succeeded' && payment.status !== 'partially_refunded') {
    throw new AppError('failed_precondition', `a ${payment.status} payment cannot be refunded`);
  }
  const left = payment.amount - payment.amountRefunded;
  if (left <= 0) throw new AppError('failed_precondition', 'the payment is refunded in full already');
  const amount = requested === 0 ? left : requested;
  if (amount > left) throw new AppError('failed_precondition', `cannot refund ${amount}: only ${left} is left to refund`);
  return amount;
}

/** The status once `refundedTotal` of `amount` went back. */
export function statusAfterRefund(amount: number, refundedTotal: number): PaymentStatus {
  return refundedTotal >= amount ? 'refunded' : 'partially_refunded';
}

export function assertOrderId(orderId: string): string {
  if (orderId.trim() === '') throw AppError.invalid('order_id is required');
  if (orderId.length > MAX_ORDER_ID_LENGTH) throw AppError.invalid(`order_id is longer than ${MAX_ORDER_ID_LENGTH} characters`);
  return orderId;
}


export function assertPaymentId(paymentId: string): string {
  if (!isUuid(paymentId)) throw AppError.invalid('payment_id must be a UUID');
  return paymentId.toLowerCase();
}

let currencies: Set<string> | undefined;

/** An amount to charge: a whole, positive number of minor units in an ISO 4217 currency. Returns the currency upper-cased. */
export function assertMoney(amount: number, currency: string): { amount: number; currency: string } {
  if (!Number.isInteger(amount) || amount <= 0 || amount > MAX_AMOUNT) {
    throw AppError.invalid(`amount.amount must be a whole number of minor units from 1 to ${MAX_AMOUNT}`);
  }
  const code = currency.trim().toUpperCase();
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  if (!/^[A-Z]{3}$/.test(code) || !currencies.has(code)) throw AppError.invalid('amount.currency must be an ISO 4217 currency code');
  return { amount, currency: code };
}

export function cleanReason(reason: string): string {
  const trimmed = reason.trim();
  if ([...trimmed].length > MAX_REASON_LENGTH) throw AppError.invalid(`reason is longer than ${MAX_REASON_LENGTH} characters`);
  return trimmed;
}

export function assertIdempotencyKey(key: string): string {
  const trimmed = key.trim();
  if (trimmed === '') throw AppError.invalid('idempotency_key is required: a retried refund must not refund twice');
  if (trimmed.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw AppError.invalid(`idempotency_key is longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  return trimmed;
}
