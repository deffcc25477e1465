import { AppError } from '@shop/errors';

export const ORDER_STATUSES = ['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'FULFILLING', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'REFUNDED'] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Every move an order may make; anything not listed is refused. */
const NEXT: { readonly [S in OrderStatus]: readonly OrderStatus[] } = {
  PENDING: ['AWAITING_PAYMENT', 'CANCELLED'],
  AWAITING_PAYMENT: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['FULFILLING', 'CANCELLED'],
  FULFILLING: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: ['REFUNDED'],
  CANCELLED: ['REFUNDED'],
  REFUNDED: [],
};

/** The statuses an admin moves an order through, each from the one before it. */
const FULFILMENT_STEPS: { readonly [S in OrderStatus]?: OrderStatus } = {
  FULFILLING: 'CONFIRMED',
  SHIPPED: 'FULFILLING',
  DELIVERED: 'SHIPPED',
};

/** Statuses in which the checkout is still running: the timeout applies to them. */
export const CHECKOUT_STATUSES: readonly OrderStatus[] = ['PENDING', 'AWAITING_PAYMENT'];

export function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

/** FAILED_PRECONDITION unless the rules allow moving from `from` to `to`. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw new AppError('failed_precondition', `an order cannot go from ${from} to ${to}`);
}

/** Whether a shopper may still cancel their own order: until it ships. */
export function shopperMayCancel(status: OrderStatus): boolean {
  return canTransition(status, 'CANCELLED');
}

/**
 * Checks an admin's fulfilment step: INVALID_ARGUMENT for a status that is not one, FAILED_PRECONDITION
 * when the order is not at the step before it. Returns 'unchanged' when the order is already there.
 */
export function advanceAction(current: OrderStatus, requested: string): { to: OrderStatus; action: 'apply' | 'unchanged' } {
  const target = requested.trim().toUpperCase();
  if (!isOrderStatus(target) || FULFILMENT_STEPS[target] === undefined) {
    throw AppError.invalid('status must be FULFILLING, SHIPPED or DELIVERED');
  }
  if (current === target) return { to: target, action: 'unchanged' };
  if (FULFILMENT_STEPS[target] !== current) throw new AppError('failed_precondition', `an order cannot go from ${current} to ${target}`);
  assertTransition(current, target);
  return { to: target, action: 'apply' };
}
