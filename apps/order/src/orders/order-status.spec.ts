import { appErrorKind } from '@shop/testing';
import { advanceAction, assertTransition, canTransition, isOrderStatus, ORDER_STATUSES, type OrderStatus, shopperMayCancel } from './order-status';

const ALLOWED: Array<[OrderStatus, OrderStatus]> = [
  ['PENDING', 'AWAITING_PAYMENT'],
  ['PENDING', 'CANCELLED'],
  ['AWAITING_PAYMENT', 'CONFIRMED'],
  ['AWAITING_PAYMENT', 'CANCELLED'],
  ['CONFIRMED', 'FULFILLING'],
  ['CONFIRMED', 'CANCELLED'],
  ['FULFILLING', 'SHIPPED'],
  ['FULFILLING', 'CANCELLED'],
  ['SHIPPED', 'DELIVERED'],
  ['DELIVERED', 'REFUNDED'],
  ['CANCELLED', 'REFUNDED'],
];

describe('order status rules', () => {
  it('allows exactly the listed moves and refuses every other pair with FAILED_PRECONDITION', () => {
    const allowed = new Set(ALLOWED.map(([from, to]) => `${from}>${to}`));
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const ok = allowed.has(`${from}>${to}`);
        expect([from, to, canTransition(from, to)]).toEqual([from, to, ok]);
        expect(appErrorKind(() => assertTransition(from, to))).toBe(ok ? undefined : 'failed_precondition');
      }
    }
  });

  it('lets a shopper cancel until the order ships', () => {
    expect(ORDER_STATUSES.filter(shopperMayCancel)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'FULFILLING']);
  });

  it('knows its statuses', () => {
    expect(isOrderStatus('CONFIRMED')).toBe(true);
    expect(isOrderStatus('confirmed')).toBe(false);
    expect(isOrderStatus('LOST')).toBe(false);
  });
});

describe('advanceAction', () => {
  it('moves a confirmed order through fulfilment one step at a time', () => {
    expect(advanceAction('CONFIRMED', 'FULFILLING')).toEqual({ to: 'FULFILLING', action: 'apply' });
    expect(advanceAction('FULFILLING', 'shipped')).toEqual({ to: 'SHIPPED', action: 'apply' });
    expect(advanceAction('SHIPPED', 'DELIVERED')).toEqual({ to: 'DELIVERED', action: 'apply' });
    expect(advanceAction('SHIPPED', 'SHIPPED')).toEqual({ to: 'SHIPPED', action: 'unchanged' });
  });

  it('refuses skipped steps, steps back and steps from the wrong status', () => {
    expect(appErrorKind(() => advanceAction('CONFIRMED', 'SHIPPED'))).toBe('failed_precondition');
    expect(appErrorKind(() => advanceAction('DELIVERED', 'FULFILLING'))).toBe('failed_precondition');
    expect(appErrorKind(() => advanceAction('PENDING', 'FULFILLING'))).toBe('failed_precondition');
    expect(appErrorKind(() => advanceAction('CANCELLED', 'FULFILLING'))).toBe('failed_precondition');
  });

  it('only takes fulfilment statuses', () => {
    for (const status of ['CONFIRMED', 'CANCELLED', 'REFUNDED', 'PENDING', '', 'LOST']) {
      expect(appErrorKind(() => advanceAction('CONFIRMED', status))).toBe('invalid_argument');
    }
  });
});
