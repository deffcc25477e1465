import { createEvent, type IntegrationEvent } from '@shop/contracts';
import { AppError } from '@shop/errors';
import { toOutboxRow } from '@shop/messaging';
import type { Prisma, Tx } from '../prisma';
import { assertTransition, isOrderStatus, type OrderStatus } from './order-status';

/** The part of an order a transition needs, read under its row lock. */
export interface LockedOrder {
  id: string;
  userId: string;
  status: OrderStatus;
  paymentId: string;
}

export const MAX_REASON_LENGTH = 200;

/** Reasons come from shoppers, admins and other services: trimmed and cut to a sensible length. */
export function shortReason(reason: string): string {
  const trimmed = reason.trim().replace(/\s+/g, ' ');
  return trimmed.length > MAX_REASON_LENGTH ? `${trimmed.slice(0, MAX_REASON_LENGTH - 1)}…` : trimmed;
}

/** Locks the order row for the rest of the transaction; null when there is no such order. */
export async function lockOrder(tx: Tx, orderId: string): Promise<LockedOrder | null> {
  const rows = await tx.$queryRaw<Array<{ id: string; user_id: string; status: string; payment_id: string }>>`
    SELECT id::text AS id, user_id, status, payment_id FROM orders WHERE id = ${orderId}::uuid FOR UPDATE`;
  const row = rows[0];
  if (!row) return null;
  if (!isOrderStatus(row.status)) throw new Error(`order ${row.id} has an unknown status ${row.status}`);
  return { id: row.id, userId: row.user_id, status: row.status, paymentId: row.payment_id };
}

/**
 * Moves an order to `to` inside the caller's transaction: the rules are checked, the status is
 * compared-and-set on the one read, a history row says why, and order.status_changed plus the
 * specific event (order.confirmed, order.cancelled) go to the outbox. `order` is updated in place,
 * so several moves can follow each other in one transaction.
 */
export async function transition(
  tx: Tx,
  order: LockedOrder,
  to: OrderStatus,
  reason: string,
  data: Prisma.OrderUpdateManyMutationInput = {},
): Promise<void> {
  const from = order.status;
  assertTransition(from, to);
  const why = shortReason(reason);
  const paymentId = typeof data.paymentId === 'string' ? data.paymentId : order.paymentId;
  const { count } = await tx.order.updateMany({
    where: { id: order.id, status: from },
    data: { ...data, status: to, updatedAt: new Date(), ...(to === 'CANCELLED' ? { cancelReason: why } : {}) },
  });
  if (count !== 1) throw new AppError('conflict', 'the order changed meanwhile; try again');
  await tx.orderStatusHistory.create({ data: { orderId: order.id, status: to, reason: why } });
  const events: IntegrationEvent[] = [createEvent('order.status_changed', order.id, { orderId: order.id, userId: order.userId, from, to, reason: why })];
  if (to === 'CONFIRMED') events.push(createEvent('order.confirmed', order.id, { orderId: order.id, paymentId }));
  if (to === 'CANCELLED') events.push(createEvent('order.cancelled', order.id, { orderId: order.id, reason: why }));
  await tx.outboxEvent.createMany({ data: events.map(toOutboxRow) });
  order.status = to;
  order.paymentId = paymentId;
}
