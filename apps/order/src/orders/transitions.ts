import { createEvent, type EventOf, type IntegrationEvent } from '@shop/contracts';
import { AppError } from '@shop/errors';
import { writeOutbox } from '@shop/messaging';
import type { Tx } from '../prisma';
import { assertTransition, isOrderStatus, type OrderStatus } from './order-status';

/** The part of an order a transition needs, read under its row lock. */
export interface LockedOrder {
  id: string;
  userId: string;
  status: OrderStatus;
  paymentId: string;
  totalAmount: number;
  currency: string;
  email: string;
}

/** Payment fields an order keeps for its view, changed with or without a move. */
export interface PaymentFields {
  paymentId?: string;
  paymentProvider?: string;
  clientSecret?: string;
  paymentStatus?: string;
}

interface OrderRow {
  id: string;
  user_id: string;
  status: string;
  payment_id: string;
  total_amount: number;
  currency: string;
  email: string;
}

export const MAX_REASON_LENGTH = 200;

/** Reasons come from shoppers, admins and other services: trimmed and cut to a sensible length. */
export function shortReason(reason: string): string {
  const trimmed = reason.trim().replace(/\s+/g, ' ');
  return trimmed.length > MAX_REASON_LENGTH ? `${trimmed.slice(0, MAX_REASON_LENGTH - 1)}…` : trimmed;
}

function toLockedOrder(row: OrderRow): LockedOrder {
  if (!isOrderStatus(row.status)) throw new Error(`order ${row.id} has an unknown status ${row.status}`);
  return { id: row.id, userId: row.user_id, status: row.status, paymentId: row.payment_id, totalAmount: row.total_amount, currency: row.currency, email: row.email };
}

/** Locks the order row for the rest of the transaction; null when there is no such order. */
export async function lockOrder(tx: Tx, orderId: string): Promise<LockedOrder | null> {
  return (await lockOrders(tx, [orderId])).get(orderId) ?? null;
}

/** Locks these orders' rows (in id order, as every writer of several does) for the rest of the transaction. */
export async function lockOrders(tx: Tx, orderIds: string[]): Promise<Map<string, LockedOrder>> {
  const rows = await tx.$queryRaw<OrderRow[]>`
    SELECT id::text AS id, user_id, status, payment_id, total_amount, currency, email FROM orders
     WHERE id = ANY(${orderIds}::uuid[]) ORDER BY id FOR UPDATE`;
  return new Map(rows.map((row) => [row.id, toLockedOrder(row)]));
}

/** The locked rows of up to `limit` orders stuck in checkout for `timeoutSeconds`, skipping rows locked right now. */
export async function lockTimedOutOrders(tx: Tx, timeoutSeconds: number, limit: number): Promise<LockedOrder[]> {
  const rows = await tx.$queryRaw<OrderRow[]>`
    SELECT id::text AS id, user_id, status, payment_id, total_amount, currency, email FROM orders
     WHERE status IN ('PENDING', 'AWAITING_PAYMENT')
       AND updated_at < now() - ${timeoutSeconds}::int * interval '1 second'
     ORDER BY updated_at LIMIT ${limit}
       FOR UPDATE SKIP LOCKED`;
  return rows.map(toLockedOrder);
}

/**
 * The changes of locked orders within one transaction, written together by `flush`: each move is
 * checked against the rules and gets a history row saying why, order.status_changed plus the
 * specific event (order.confirmed, order.cancelled, order.shipped, order.delivered: who the order
 * belongs to and its total, for the shopper's notifications) go to the outbox, and every order's row is
 * compared-and-set on the status it was read with. Orders are updated in place, so several moves
 * can follow each other.
 */
export class OrderChanges {
  private readonly rows = new Map<string, { readStatus: OrderStatus; order: LockedOrder; data: PaymentFields & { cancelReason?: string } }>();
  private readonly history: Array<{ orderId: string; status: OrderStatus; reason: string }> = [];
  private readonly events: IntegrationEvent[] = [];

  move(order: LockedOrder, to: OrderStatus, reason: string, data: PaymentFields = {}): void {
    const from = order.status;
    assertTransition(from, to);
    const why = shortReason(reason);
    const paymentId = data.paymentId ?? order.paymentId;
    this.update(order, { ...data, ...(to === 'CANCELLED' ? { cancelReason: why } : {}) });
    this.history.push({ orderId: order.id, status: to, reason: why });
    this.events.push(createEvent('order.status_changed', order.id, { orderId: order.id, userId: order.userId, from, to, reason: why }));
    const owner = { userId: order.userId, total: { amount: order.totalAmount, currency: order.currency } };
    if (to === 'CONFIRMED') this.events.push(createEvent('order.confirmed', order.id, { orderId: order.id, paymentId, ...owner }));
    if (to === 'CANCELLED') this.events.push(createEvent('order.cancelled', order.id, { orderId: order.id, reason: why, ...owner }));
    if (to === 'SHIPPED') this.events.push(createEvent('order.shipped', order.id, { orderId: order.id, ...owner }));
    if (to === 'DELIVERED') this.events.push(createEvent('order.delivered', order.id, { orderId: order.id, ...owner }));
    order.status = to;
    order.paymentId = paymentId;
  }

  /** Fields that change without a move. */
  update(order: LockedOrder, data: PaymentFields & { cancelReason?: string }): void {
    const row = this.rows.get(order.id) ?? { readStatus: order.status, order, data: {} };
    Object.assign(row.data, data);
    this.rows.set(order.id, row);
  }

  /** Messages that go out with the changes (the saga's commands). */
  publish(events: IntegrationEvent[]): void {
    this.events.push(...events);
  }

  async flush(tx: Tx): Promise<void> {
    await this.writeRows(tx);
    if (this.history.length > 0) {
      await tx.$executeRaw`
        INSERT INTO order_status_history (order_id, status, reason)
        SELECT order_id, status, reason FROM unnest(${this.history.map((row) => row.orderId)}::uuid[], ${this.history.map((row) => row.status)}::text[],
                                                    ${this.history.map((row) => row.reason)}::text[]) WITH ORDINALITY AS h(order_id, status, reason, n)
         ORDER BY n`;
    }
    await this.withConfirmedItems(tx);
    await writeOutbox(tx, this.events);
  }

  /** Every changed order in one statement, each compared-and-set on the status it was read with; a field not given keeps its value. */
  private async writeRows(tx: Tx): Promise<void> {
    const rows = [...this.rows.values()];
    if (rows.length === 0) return;
    const column = (field: keyof (PaymentFields & { cancelReason?: string })) => rows.map(({ data }) => data[field] ?? null);
    const updated = await tx.$executeRaw`
      UPDATE orders o
         SET status = u.status, updated_at = now(),
             payment_id = COALESCE(u.payment_id, o.payment_id), payment_provider = COALESCE(u.payment_provider, o.payment_provider),
             client_secret = COALESCE(u.client_secret, o.client_secret), payment_status = COALESCE(u.payment_status, o.payment_status),
             cancel_reason = COALESCE(u.cancel_reason, o.cancel_reason)
        FROM unnest(${rows.map(({ order }) => order.id)}::uuid[], ${rows.map(({ readStatus }) => readStatus)}::text[], ${rows.map(({ order }) => order.status)}::text[],
                    ${column('paymentId')}::text[], ${column('paymentProvider')}::text[], ${column('clientSecret')}::text[], ${column('paymentStatus')}::text[],
                    ${column('cancelReason')}::text[])
             AS u(id, read_status, status, payment_id, payment_provider, client_secret, payment_status, cancel_reason)
       WHERE o.id = u.id AND o.status = u.read_status`;
    if (updated !== rows.length) throw new AppError('conflict', 'the order changed meanwhile; try again');
  }

  /** order.confirmed says which products the order holds (who may review what), read in the same transaction. */
  private async withConfirmedItems(tx: Tx): Promise<void> {
    const confirmed = this.events.filter((event): event is EventOf<'order.confirmed'> => event.type === 'order.confirmed');
    if (confirmed.length === 0) return;
    const rows = await tx.$queryRaw<Array<{ order_id: string; product_id: string; sku: string }>>`
      SELECT order_id::text AS order_id, product_id, sku FROM order_items WHERE order_id = ANY(${confirmed.map((event) => event.payload.orderId)}::uuid[]) ORDER BY sku`;
    for (const event of confirmed) {
      event.payload.items = rows.filter((row) => row.order_id === event.payload.orderId).map((row) => ({ productId: row.product_id, sku: row.sku }));
    }
  }
}

/** One move of one locked order, written at once. */
export async function transition(tx: Tx, order: LockedOrder, to: OrderStatus, reason: string, data: PaymentFields = {}): Promise<void> {
  const changes = new OrderChanges();
  changes.move(order, to, reason, data);
  await changes.flush(tx);
}
