import type { EventCatalog, EventType, OneOf } from '@shop/contracts';
import type { OrderStatus } from '../orders/order-status';
import type { LockedOrder, PaymentFields } from '../orders/transitions';

/*
 * The checkout saga, decided here and nowhere else. The order service orchestrates; inventory and
 * payment each take commands on their own topic (so one order's commands stay in order) and answer
 * with events. One order, from POST /orders to CONFIRMED:
 *
 *   placed            PENDING            → inventory.reserve
 *   inventory.reserved (PENDING)          → payment.create
 *   payment.created   PENDING → AWAITING_PAYMENT (the shopper gets the client secret)
 *   payment.succeeded AWAITING_PAYMENT → CONFIRMED → inventory.commit
 *
 * and what undoes it:
 *
 *   inventory.rejected  PENDING → CANCELLED (nothing was held, no payment exists)
 *   payment.failed      → CANCELLED → inventory.release
 *   cancelled by the shopper, an admin or the checkout timeout
 *                       → CANCELLED → inventory.release, payment.cancel (refunds a paid order)
 *   inventory.reserved for an order already cancelled → inventory.release (nothing held for nothing)
 *
 * A reply that no longer fits the order (it moved on, or replies of different topics crossed) changes
 * nothing. These functions are pure: the saga (checkout-saga.ts) reads the order under its row lock,
 * asks them what to do and writes the moves and commands in the same transaction.
 */

/** The order as the saga sees it, read under its row lock. */
export type CheckoutOrder = LockedOrder;

export interface Move {
  to: OrderStatus;
  reason: string;
  data?: PaymentFields;
}

export type Command = { [K in EventType]: { type: K; payload: EventCatalog[K] } }[CommandType];
export type CommandType = 'inventory.reserve' | 'inventory.commit' | 'inventory.release' | 'payment.create' | 'payment.cancel';

export interface Step {
  /** Status moves, in order; each writes a history row and the order.* events. */
  moves: Move[];
  /** Fields that change without a move (a refund's payment status). */
  update?: PaymentFields;
  commands: Command[];
}

/** The replies the saga waits for. */
export const REPLY_TYPES = [
  'inventory.reserved',
  'inventory.rejected',
  'payment.created',
  'payment.succeeded',
  'payment.failed',
  'payment.canceled',
  'payment.refunded',
] as const;
export type ReplyType = (typeof REPLY_TYPES)[number];
export type Reply = OneOf<ReplyType>;

const NOTHING: Step = { moves: [], commands: [] };
const isCheckoutRunning = (status: OrderStatus) => status === 'PENDING' || status === 'AWAITING_PAYMENT';

/** A placed order: reserve its lines. */
export function placed(orderId: string, lines: Array<{ sku: string; quantity: number }>): Step {
  return { moves: [], commands: [{ type: 'inventory.reserve', payload: { orderId, lines: lines.map(({ sku, quantity }) => ({ sku, quantity })) } }] };
}

/**
 * Cancels a running or paid order: stock goes back and the payment is cancelled or refunded. Both
 * commands are harmless where nothing is held or no payment exists, and each queues behind the
 * order's earlier commands on its participant's topic.
 */
export function cancelled(order: CheckoutOrder, reason: string, options: { stockHeld?: boolean; paymentMayExist?: boolean } = {}): Step {
  const commands: Command[] = [];
  if (options.stockHeld ?? true) commands.push({ type: 'inventory.release', payload: { orderId: order.id, reason } });
  if (options.paymentMayExist ?? true) commands.push({ type: 'payment.cancel', payload: { orderId: order.id, reason } });
  return { moves: [{ to: 'CANCELLED', reason }], commands };
}

/** What a participant's reply does to the order. */
export function onReply(order: CheckoutOrder, reply: Reply): Step {
  switch (reply.type) {
    case 'inventory.reserved':
      if (order.status === 'PENDING') {
        return {
          moves: [],
          commands: [{ type: 'payment.create', payload: { orderId: order.id, amount: { amount: order.totalAmount, currency: order.currency }, customerEmail: order.email } }],
        };
      }
      // Reserved after the order was given up: give the units back rather than hold them until they expire.
      if (order.status === 'CANCELLED' || order.status === 'REFUNDED') {
        return { moves: [], commands: [{ type: 'inventory.release', payload: { orderId: order.id, reason: 'order cancelled' } }] };
      }
      return NOTHING;

    case 'inventory.rejected':
      if (order.status !== 'PENDING') return NOTHING;
      return cancelled(order, `out of stock: ${reply.payload.shortSkus.join(', ')}`, { stockHeld: false, paymentMayExist: false });

    case 'payment.created': {
      const { paymentId, provider, clientSecret, status } = reply.payload;
      // Overtaken by its success: the order moved on without knowing the provider.
      if (order.status !== 'PENDING') return order.paymentId === paymentId ? { moves: [], update: { paymentProvider: provider }, commands: [] } : NOTHING;
      return {
        moves: [{ to: 'AWAITING_PAYMENT', reason: 'stock reserved, awaiting payment', data: { paymentId, paymentProvider: provider, clientSecret, paymentStatus: status } }],
        commands: [],
      };
    }

    case 'payment.succeeded': {
      const { paymentId } = reply.payload;
      // A cancelled order stays cancelled: its payment.cancel, queued behind the create, refunds it.
      if (!isCheckoutRunning(order.status)) return NOTHING;
      const moves: Move[] = [];
      // Paid before payment.created arrived (another topic): the order passes through AWAITING_PAYMENT.
      if (order.status === 'PENDING') moves.push({ to: 'AWAITING_PAYMENT', reason: 'payment created', data: { paymentId } });
      moves.push({ to: 'CONFIRMED', reason: 'payment succeeded', data: { paymentId, paymentStatus: 'succeeded' } });
      return { moves, commands: [{ type: 'inventory.commit', payload: { orderId: order.id } }] };
    }

    case 'payment.failed': {
      if (!isCheckoutRunning(order.status)) return NOTHING;
      const step = cancelled(order, `payment failed: ${reply.payload.reason || 'declined'}`, { paymentMayExist: false });
      return { ...step, moves: step.moves.map((move) => ({ ...move, data: { paymentStatus: 'failed' } })) };
    }

    case 'payment.canceled':
      return order.status === 'CANCELLED' ? { moves: [], update: { paymentStatus: 'canceled' }, commands: [] } : NOTHING;

    case 'payment.refunded': {
      if (!reply.payload.full) return { moves: [], update: { paymentStatus: 'partially_refunded' }, commands: [] };
      if (order.status === 'CANCELLED' || order.status === 'DELIVERED') {
        return { moves: [{ to: 'REFUNDED', reason: 'payment refunded', data: { paymentStatus: 'refunded' } }], commands: [] };
      }
      return { moves: [], update: { paymentStatus: 'refunded' }, commands: [] };
    }
  }
}
