import { appErrorKind } from '@shop/testing';
import {
  assertIdempotencyKey,
  assertMoney,
  assertOrderId,
  assertPaymentId,
  cancelAction,
  MAX_AMOUNT,
  outcomeTransition,
  PAYMENT_STATUSES,
  type PaymentStatus,
  planRefund,
  type ProviderOutcome,
  statusAfterRefund,
} from './payment-rules';

/** Plays outcomes in order through the state machine, as webhooks would, and returns the final status. */
function play(start: PaymentStatus, outcomes: ProviderOutcome[]): PaymentStatus {
  return outcomes.reduce<PaymentStatus>((status, outcome) => {
    const decision = outcomeTransition(status, outcome);
    return decision.action === 'apply' ? decision.to : status;
  }, start);
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

describe('payment state machine', () => {
  it('applies every forward transition the provider can report', () => {
    const applied: Array<[PaymentStatus, ProviderOutcome, PaymentStatus]> = [
      ['requires_payment', 'processing', 'processing'],
      ['requires_payment', 'succeeded', 'succeeded'],
      ['requires_payment', 'failed', 'failed'],
      ['requires_payment', 'canceled', 'canceled'],
      ['processing', 'succeeded', 'succeeded'],
      ['processing', 'failed', 'failed'],
      ['processing', 'canceled', 'canceled'],
      ['failed', 'succeeded', 'succeeded'],
      ['failed', 'canceled', 'canceled'],
    ];
    for (const [from, outcome, to] of applied) expect([from, outcome, outcomeTransition(from, outcome)]).toEqual([from, outcome, { action: 'apply', to }]);
  });

  it('treats the same outcome twice as a duplicate', () => {
    for (const outcome of ['processing', 'succeeded', 'failed', 'canceled'] as const) {
      expect(outcomeTransition(outcome, outcome)).toEqual({ action: 'ignore', why: 'duplicate' });
    }
  });

  it('never lets a final or later state go back', () => {
    const stale: Array<[PaymentStatus, ProviderOutcome]> = [
      ['succeeded', 'failed'],
      ['succeeded', 'processing'],
      ['succeeded', 'canceled'],
      ['partially_refunded', 'succeeded'],
      ['partially_refunded', 'failed'],
      ['refunded', 'succeeded'],
      ['refunded', 'failed'],
      ['refunded', 'canceled'],
      ['canceled', 'succeeded'],
      ['canceled', 'failed'],
      ['canceled', 'processing'],
      ['failed', 'processing'],
      ['processing', 'processing'],
    ];
    for (const [from, outcome] of stale) expect([from, outcome, outcomeTransition(from, outcome).action]).toEqual([from, outcome, 'ignore']);
  });

  it('ends in the same state whatever order the webhooks arrive in', () => {
    for (const order of permutations<ProviderOutcome>(['processing', 'failed', 'succeeded'])) expect(play('requires_payment', order)).toBe('succeeded');
    for (const order of permutations<ProviderOutcome>(['processing', 'failed', 'canceled'])) expect(play('requires_payment', order)).toBe('canceled');
    // Delivered three times each, interleaved.
    expect(play('requires_payment', ['succeeded', 'failed', 'succeeded', 'failed', 'succeeded'])).toBe('succeeded');
  });

  it('decides what a cancellation does in every state', () => {
    const expected: Record<PaymentStatus, string> = {
      requires_payment: 'cancel',
      processing: 'cancel',
      failed: 'cancel',
      succeeded: 'refund_rest',
      partially_refunded: 'refund_rest',
      canceled: 'unchanged',
      refunded: 'unchanged',
    };
    for (const status of PAYMENT_STATUSES) expect([status, cancelAction(status)]).toEqual([status, expected[status]]);
  });
});

describe('refund arithmetic', () => {
  const paid = { status: 'succeeded' as const, amount: 1000, amountRefunded: 0 };

  it('refunds what is asked, or all that is left for 0', () => {
    expect(planRefund(paid, 300)).toBe(300);
    expect(planRefund(paid, 0)).toBe(1000);
    expect(planRefund(paid, 1000)).toBe(1000);
    expect(planRefund({ status: 'partially_refunded', amount: 1000, amountRefunded: 300 }, 0)).toBe(700);
    expect(planRefund({ status: 'partially_refunded', amount: 1000, amountRefunded: 300 }, 700)).toBe(700);
  });

  it('never refunds more than is left', () => {
    expect(appErrorKind(() => planRefund(paid, 1001))).toBe('failed_precondition');
    expect(appErrorKind(() => planRefund({ status: 'partially_refunded', amount: 1000, amountRefunded: 300 }, 701))).toBe('failed_precondition');
    expect(appErrorKind(() => planRefund({ status: 'refunded', amount: 1000, amountRefunded: 1000 }, 0))).toBe('failed_precondition');
  });

  it('refunds only payments that succeeded', () => {
    for (const status of ['requires_payment', 'processing', 'failed', 'canceled', 'refunded'] as const) {
      expect([status, appErrorKind(() => planRefund({ status, amount: 1000, amountRefunded: 0 }, 100))]).toEqual([status, 'failed_precondition']);
    }
  });

  it('refuses amounts that are not whole minor units', () => {
    expect(appErrorKind(() => planRefund(paid, -1))).toBe('invalid_argument');
    expect(appErrorKind(() => planRefund(paid, 1.5))).toBe('invalid_argument');
  });

  it('knows when a payment is refunded in full', () => {
    expect(statusAfterRefund(1000, 300)).toBe('partially_refunded');
    expect(statusAfterRefund(1000, 1000)).toBe('refunded');
  });
});

describe('payment input checks', () => {
  it('takes whole positive amounts in ISO currencies', () => {
    expect(assertMoney(1999, 'eur')).toEqual({ amount: 1999, currency: 'EUR' });
    expect(assertMoney(MAX_AMOUNT, 'JPY')).toEqual({ amount: MAX_AMOUNT, currency: 'JPY' });
    for (const [amount, currency] of [[0, 'EUR'], [-5, 'EUR'], [1.5, 'EUR'], [MAX_AMOUNT + 1, 'EUR'], [100, 'EURO'], [100, 'XYZ'], [100, '']] as const) {
      expect([amount, currency, appErrorKind(() => assertMoney(amount, currency))]).toEqual([amount, currency, 'invalid_argument']);
    }
  });

  it('checks ids and keys', () => {
    expect(appErrorKind(() => assertOrderId(''))).toBe('invalid_argument');
    expect(appErrorKind(() => assertOrderId('x'.repeat(129)))).toBe('invalid_argument');
    expect(assertPaymentId('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(appErrorKind(() => assertPaymentId('nope'))).toBe('invalid_argument');
    expect(appErrorKind(() => assertIdempotencyKey(' '))).toBe('invalid_argument');
    expect(assertIdempotencyKey(' k1 ')).toBe('k1');
  });
});
