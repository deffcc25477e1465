import { createEvent, type EventCatalog } from '@shop/contracts';
import { canTransition, ORDER_STATUSES, type OrderStatus } from '../orders/order-status';
import { type CheckoutOrder, cancelled, onReply, placed, type Reply, type ReplyType } from './checkout-steps';

const ORDER_ID = '0b9c8f7e-1d2c-4b3a-8f9e-0a1b2c3d4e5f';
const PAYMENT_ID = '7d6c5b4a-3f2e-4d1c-9b8a-7f6e5d4c3b2a';

const order = (status: OrderStatus): CheckoutOrder => ({
  id: ORDER_ID,
  userId: 'user-1',
  status,
  paymentId: '',
  totalAmount: 2598,
  currency: 'EUR',
  email: 'ada@example.com',
});

const reply = <K extends ReplyType>(type: K, payload: EventCatalog[K]): Reply => createEvent(type, ORDER_ID, payload) as Reply;

const replies = {
  reserved: reply('inventory.reserved', { orderId: ORDER_ID, reservationId: 'r-1', lines: [{ sku: 'MUG', quantity: 2 }], expiresAt: '2026-01-01T00:00:00Z' }),
  rejected: reply('inventory.rejected', { orderId: ORDER_ID, shortSkus: ['MUG', 'CUP'], reason: 'insufficient stock' }),
  created: reply('payment.created', {
    orderId: ORDER_ID,
    paymentId: PAYMENT_ID,
    provider: 'test',
    status: 'requires_payment',
    clientSecret: 'secret',
    amount: { amount: 2598, currency: 'EUR' },
  }),
  succeeded: reply('payment.succeeded', { orderId: ORDER_ID, paymentId: PAYMENT_ID, amount: { amount: 2598, currency: 'EUR' } }),
  failed: reply('payment.failed', { orderId: ORDER_ID, paymentId: PAYMENT_ID, reason: 'card declined' }),
  canceled: reply('payment.canceled', { orderId: ORDER_ID, paymentId: PAYMENT_ID, reason: 'order cancelled' }),
  refundedFully: reply('payment.refunded', {
    orderId: ORDER_ID,
    paymentId: PAYMENT_ID,
    amount: { amount: 2598, currency: 'EUR' },
    totalRefunded: { amount: 2598, currency: 'EUR' },
    full: true,
  }),
  refundedInPart: reply('payment.refunded', {
    orderId: ORDER_ID,
    paymentId: PAYMENT_ID,
    amount: { amount: 100, currency: 'EUR' },
    totalRefunded: { amount: 100, currency: 'EUR' },
    full: false,
  }),
};

const commandTypes = (step: { commands: Array<{ type: string }> }) => step.commands.map((command) => command.type);
const moves = (step: { moves: Array<{ to: OrderStatus }> }) => step.moves.map((move) => move.to);

describe('checkout steps', () => {
  it('starts a placed order by reserving its lines', () => {
    expect(placed(ORDER_ID, [{ sku: 'MUG', quantity: 2 }]).commands).toEqual([
      { type: 'inventory.reserve', payload: { orderId: ORDER_ID, lines: [{ sku: 'MUG', quantity: 2 }] } },
    ]);
  });

  it('walks one order from PENDING to CONFIRMED', () => {
    const reserved = onReply(order('PENDING'), replies.reserved);
    expect(moves(reserved)).toEqual([]);
    expect(reserved.commands).toEqual([
      { type: 'payment.create', payload: { orderId: ORDER_ID, amount: { amount: 2598, currency: 'EUR' }, customerEmail: 'ada@example.com' } },
    ]);

    const created = onReply(order('PENDING'), replies.created);
    expect(created.moves).toEqual([
      {
        to: 'AWAITING_PAYMENT',
        reason: 'stock reserved, awaiting payment',
        data: { paymentId: PAYMENT_ID, paymentProvider: 'test', clientSecret: 'secret', paymentStatus: 'requires_payment' },
      },
    ]);
    expect(created.commands).toEqual([]);

    const succeeded = onReply(order('AWAITING_PAYMENT'), replies.succeeded);
    expect(moves(succeeded)).toEqual(['CONFIRMED']);
    expect(succeeded.commands).toEqual([{ type: 'inventory.commit', payload: { orderId: ORDER_ID } }]);
  });

  it('passes through AWAITING_PAYMENT when the success overtakes payment.created, which then only names the provider', () => {
    const step = onReply(order('PENDING'), replies.succeeded);
    expect(moves(step)).toEqual(['AWAITING_PAYMENT', 'CONFIRMED']);
    expect(commandTypes(step)).toEqual(['inventory.commit']);
    expect(onReply({ ...order('CONFIRMED'), paymentId: PAYMENT_ID }, replies.created)).toEqual({ moves: [], update: { paymentProvider: 'test' }, commands: [] });
  });

  it('cancels an order out of stock, with nothing to release and no payment to cancel', () => {
    const step = onReply(order('PENDING'), replies.rejected);
    expect(step.moves).toEqual([{ to: 'CANCELLED', reason: 'out of stock: MUG, CUP' }]);
    expect(step.commands).toEqual([]);
  });

  it('cancels an order whose payment failed and gives its stock back', () => {
    for (const status of ['PENDING', 'AWAITING_PAYMENT'] as const) {
      const step = onReply(order(status), replies.failed);
      expect(step.moves).toEqual([{ to: 'CANCELLED', reason: 'payment failed: card declined', data: { paymentStatus: 'failed' } }]);
      expect(commandTypes(step)).toEqual(['inventory.release']);
    }
  });

  it('releases stock reserved for an order that was already given up', () => {
    for (const status of ['CANCELLED', 'REFUNDED'] as const) {
      const step = onReply(order(status), replies.reserved);
      expect(moves(step)).toEqual([]);
      expect(step.commands).toEqual([{ type: 'inventory.release', payload: { orderId: ORDER_ID, reason: 'order cancelled' } }]);
    }
  });

  it('leaves a cancelled order cancelled when its payment succeeds late: the queued cancel refunds it', () => {
    const step = onReply(order('CANCELLED'), replies.succeeded);
    expect(step).toEqual({ moves: [], commands: [] });
  });

  it('cancels on behalf of a shopper, an admin or the timeout: stock back, payment cancelled or refunded', () => {
    const step = cancelled(order('AWAITING_PAYMENT'), 'checkout timed out');
    expect(step.moves).toEqual([{ to: 'CANCELLED', reason: 'checkout timed out' }]);
    expect(step.commands).toEqual([
      { type: 'inventory.release', payload: { orderId: ORDER_ID, reason: 'checkout timed out' } },
      { type: 'payment.cancel', payload: { orderId: ORDER_ID, reason: 'checkout timed out' } },
    ]);
  });

  it('turns a full refund of a cancelled or delivered order into REFUNDED, and records anything less', () => {
    expect(moves(onReply(order('CANCELLED'), replies.refundedFully))).toEqual(['REFUNDED']);
    expect(moves(onReply(order('DELIVERED'), replies.refundedFully))).toEqual(['REFUNDED']);
    expect(onReply(order('CONFIRMED'), replies.refundedFully)).toEqual({ moves: [], update: { paymentStatus: 'refunded' }, commands: [] });
    expect(onReply(order('CONFIRMED'), replies.refundedInPart)).toEqual({ moves: [], update: { paymentStatus: 'partially_refunded' }, commands: [] });
  });

  it('records a cancelled payment on a cancelled order', () => {
    expect(onReply(order('CANCELLED'), replies.canceled)).toEqual({ moves: [], update: { paymentStatus: 'canceled' }, commands: [] });
  });

  it('ignores every reply that no longer fits the order, and never asks for a move the rules refuse', () => {
    const late: Array<[OrderStatus, Reply]> = [
      ['AWAITING_PAYMENT', replies.reserved],
      ['CONFIRMED', replies.reserved],
      ['AWAITING_PAYMENT', replies.rejected],
      ['CONFIRMED', replies.created],
      ['CANCELLED', replies.created],
      ['CONFIRMED', replies.succeeded],
      ['CONFIRMED', replies.failed],
      ['CANCELLED', replies.failed],
    ];
    for (const [status, stale] of late) expect([status, stale.type, onReply(order(status), stale)]).toEqual([status, stale.type, { moves: [], commands: [] }]);
    for (const status of ORDER_STATUSES) {
      for (const each of Object.values(replies)) {
        let current = status;
        for (const move of onReply(order(status), each).moves) {
          expect([current, move.to, canTransition(current, move.to)]).toEqual([current, move.to, true]);
          current = move.to;
        }
      }
    }
  });
});
