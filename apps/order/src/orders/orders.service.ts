import { Inject, Injectable } from '@nestjs/common';
import { createEvent, type orderV1 } from '@shop/contracts';
import { AppError } from '@shop/errors';
import type { ServiceMetrics } from '@shop/observability';
import type { SqlDatabase } from '@shop/persistence';
import { APP_CONFIG, METRICS, SQL_DATABASE } from '@shop/service-kit';
import { isUuid, pageWindow } from '@shop/validation';
import { randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import { priceOrder } from '../carts/cart-rules';
import { CartsService } from '../carts/carts.service';
import type { OrderConfig } from '../config';
import { PRISMA, type PrismaClient } from '../prisma';
import { type Address, assertIdempotencyKey, assertUserId, normalizeAddress, normalizeEmail, type RequestLine, requestHash } from './checkout-request';
import { advanceAction, canTransition, isOrderStatus } from './order-status';
import { findOrderWithDetails, findUnpaidHoldings, insertOrder } from './order-store';
import { type OrderWithDetails, toOrder, WITH_DETAILS } from './order-view';
import { CheckoutSaga } from '../saga/checkout-saga';
import { lockOrder, MAX_REASON_LENGTH, transition } from './transitions';
import { type UnpaidCap, unpaidCapExceeded } from './unpaid-cap';
import { applyOffer } from './offer-redemption';

const DEFAULT_PAGE_SIZE = 20;

/** An idempotency key's row: the request it was used for and the order that request made. */
interface UsedKey {
  requestHash: string;
  orderId: string;
  userId: string;
}

type PlaceOutcome = { kind: 'created'; order: OrderWithDetails } | { kind: 'replay' };

/** Whether two carts hold the same SKUs in the same quantities, whatever their order. */
const sameLines = (a: RequestLine[], b: RequestLine[]) => {
  const key = (lines: RequestLine[]) => lines.map((line) => `${line.sku}\u0000${line.quantity}`).sort().join('\n');
  return key(a) === key(b);
};

/** Checkout and the order's life as shoppers and admins see it; the saga moves it in between. */
@Injectable()
export class OrdersService {
  private readonly placed: Counter<'outcome'>;
  private readonly unpaidCap: UnpaidCap;
  private readonly offerSigningKey: string | undefined;
  private readonly offersRedeemed: Counter<never>;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly carts: CartsService,
    private readonly saga: CheckoutSaga,
    @Inject(METRICS) metrics: ServiceMetrics,
    @Inject(APP_CONFIG) config: OrderConfig,
  ) {
    this.placed = metrics.counter('shop_order_checkouts_total', 'PlaceOrder calls, by outcome', ['outcome']);
    this.unpaidCap = { maxOrders: config.MAX_UNPAID_ORDERS, maxUnitsPerSku: config.MAX_UNPAID_UNITS_PER_SKU };
    this.offerSigningKey = config.OFFER_SIGNING_KEY;
    this.offersRedeemed = metrics.counter('shop_order_offers_redeemed_total', 'Bargaining offer codes used by a placed order', []);
  }

  /**
   * Turns the user's cart into a PENDING order, once per idempotency key: the key, the order, its
   * lines, its first history row, the emptied cart and order.created commit together. FAILED_PRECONDITION
   * when the order would take the shopper past what they may hold unpaid (unpaid-cap.ts).
   */
  async place(request: orderV1.PlaceOrderRequest): Promise<orderV1.Order> {
    const userId = assertUserId(request.userId);
    const key = assertIdempotencyKey(request.idempotencyKey);
    const address = normalizeAddress(request.shippingAddress);
    const email = normalizeEmail(request.email);
    const cart = await this.db.$queryRaw<RequestLine[]>`SELECT sku, quantity FROM cart_items WHERE user_id = ${userId}`;
    const hash = requestHash(address, email, cart);

    // A retry finds its key; by then the cart has been emptied by the order it made. The key is read
    // after the cart, never beside it: a cart seen empty because of that order then sees its key too.
    const previous = await this.usedKey(userId, key);
    if (previous) return this.replay(previous, address, email, cart, hash);
    if (cart.length === 0) throw new AppError('failed_precondition', 'the cart is empty');

    const listPriced = priceOrder(cart, await this.carts.variants(cart.map((line) => line.sku)));
    // A bargaining offer code is checked again here (offer-redemption.ts) and recorded below, once.
    const offer = request.offerCode ? applyOffer(listPriced, request.offerCode, userId, this.offerSigningKey) : undefined;
    const priced = offer?.priced ?? listPriced;
    const orderId = randomUUID();
    const outcome = await this.db.$transaction(async (tx): Promise<PlaceOutcome> => {
      // Waits for a concurrent request with the same key to finish; it then has the key, and we replay it.
      const claimed = await tx.$executeRaw`
        INSERT INTO idempotency_keys (user_id, key, request_hash, order_id) VALUES (${userId}, ${key}, ${hash}, ${orderId}::uuid)
        ON CONFLICT (user_id, key) DO NOTHING`;
      if (claimed === 0) return { kind: 'replay' };
      // The cart row lock keeps the cart as it was priced until the order is written.
      const now = await tx.$queryRaw<Array<{ sku: string | null; quantity: number | null }>>`
        SELECT i.sku, i.quantity FROM carts c LEFT JOIN cart_items i ON i.user_id = c.user_id WHERE c.user_id = ${userId} FOR UPDATE OF c`;
      const held = now.flatMap((item) => (item.sku === null || item.quantity === null ? [] : [{ sku: item.sku, quantity: item.quantity }]));
      if (!sameLines(held, cart)) {
        throw new AppError('conflict', 'the cart changed during checkout; try again');
      }
      // Read under the cart's row lock, which every checkout of this shopper takes: of two at once,
      // the second sees the first's order.
      const unpaid = await findUnpaidHoldings(tx, userId, cart.map((line) => line.sku));
      const exceeded = unpaidCapExceeded(this.unpaidCap, unpaid, cart);
      if (exceeded) {
        this.placed.inc({ outcome: 'unpaid_cap' });
        throw new AppError('failed_precondition', exceeded);
      }
      if (offer) {
        const redeemed = await tx.$executeRaw`
          INSERT INTO offer_redemptions (offer_id, user_id, order_id, sku, unit_amount) VALUES (${offer.terms.id}, ${userId}, ${orderId}::uuid, ${offer.terms.sku}, ${offer.unitAmount})
          ON CONFLICT (offer_id) DO NOTHING`;
        if (redeemed === 0) {
          this.placed.inc({ outcome: 'offer_used' });
          throw new AppError('failed_precondition', 'the offer code has already been used');
        }
      }
      const order = await insertOrder(tx, {
        id: orderId,
        userId,
        currency: priced.total.currency,
        totalAmount: priced.total.amount,
        email,
        address,
        lines: priced.lines,
      });
      await tx.$executeRaw`DELETE FROM cart_items WHERE user_id = ${userId}`;
      const event = createEvent('order.created', orderId, {
        orderId,
        userId,
        lines: priced.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPrice: { amount: line.unitAmount, currency: priced.total.currency } })),
        total: priced.total,
        email,
      });
      await this.saga.start(tx, orderId, priced.lines, [event]);
      return { kind: 'created', order };
    });
    if (outcome.kind === 'replay') {
      const winner = await this.usedKey(userId, key);
      if (!winner) throw new Error(`idempotency key ${key} of user ${userId} was taken by a transaction that left no row`);
      return this.replay(winner, address, email, cart, hash);
    }
    this.placed.inc({ outcome: 'created' });
    if (offer) this.offersRedeemed.inc();
    return toOrder(outcome.order, { withClientSecret: true });
  }

  /** GetOrder: NOT_FOUND for someone else's order; admins pass no user id. */
  async get(orderId: string, userId: string): Promise<orderV1.Order> {
    const order = await this.find(orderId);
    if (!order || (userId !== '' && order.userId !== userId)) throw AppError.notFound('order not found');
    return toOrder(order, { withClientSecret: userId !== '' });
  }

  /** A user's orders (all orders for admins), newest first. */
  async list(request: orderV1.ListOrdersRequest): Promise<orderV1.ListOrdersResponse> {
    const status = request.status.trim().toUpperCase();
    if (status !== '' && !isOrderStatus(status)) throw AppError.invalid(`unknown status: ${request.status}`);
    const { page, limit } = pageWindow(request, { defaultLimit: DEFAULT_PAGE_SIZE });
    const where = { ...(request.userId !== '' ? { userId: request.userId } : {}), ...(status !== '' ? { status } : {}) };
    const [orders, total] = await Promise.all([
      this.prisma.order.findMany({ where, include: WITH_DETAILS, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: (page - 1) * limit, take: limit }),
      this.prisma.order.count({ where }),
    ]);
    return { items: orders.map((order) => toOrder(order, { withClientSecret: false })), total, page, limit };
  }

  /**
   * A shopper cancels their own order until it ships; an admin (no user id) any order the rules
   * allow. The saga tells inventory to release and payment to cancel or refund.
   */
  async cancel(request: orderV1.CancelOrderRequest): Promise<orderV1.Order> {
    const reason = request.reason.trim();
    if ([...reason].length > MAX_REASON_LENGTH) throw AppError.invalid(`reason is longer than ${MAX_REASON_LENGTH} characters`);
    const shopper = request.userId !== '';
    const why = reason || (shopper ? 'cancelled by the customer' : 'cancelled by an admin');
    await this.db.$transaction(async (tx) => {
      const order = isUuid(request.orderId) ? await lockOrder(tx, request.orderId) : null;
      if (!order || (shopper && order.userId !== request.userId)) throw AppError.notFound('order not found');
      if (order.status === 'CANCELLED') return;
      if (!canTransition(order.status, 'CANCELLED')) throw new AppError('failed_precondition', `an order that is ${order.status} can no longer be cancelled`);
      await this.saga.cancel(tx, order, why);
    });
    return this.get(request.orderId, request.userId);
  }

  /** Admins: CONFIRMED → FULFILLING → SHIPPED → DELIVERED, one step at a time. */
  async advance(request: orderV1.AdvanceOrderRequest): Promise<orderV1.Order> {
    await this.db.$transaction(async (tx) => {
      const order = isUuid(request.orderId) ? await lockOrder(tx, request.orderId) : null;
      if (!order) throw AppError.notFound('order not found');
      const step = advanceAction(order.status, request.status);
      if (step.action === 'apply') await transition(tx, order, step.to, 'advanced by an admin');
    });
    return this.get(request.orderId, '');
  }

  private find(orderId: string): Promise<OrderWithDetails | null> {
    if (!isUuid(orderId)) return Promise.resolve(null);
    return findOrderWithDetails(this.db, orderId);
  }

  /** What an idempotency key was first used for, if it was. */
  private async usedKey(userId: string, key: string): Promise<UsedKey | undefined> {
    const [row] = await this.db.$queryRaw<UsedKey[]>`
      SELECT request_hash AS "requestHash", order_id::text AS "orderId", user_id AS "userId" FROM idempotency_keys WHERE user_id = ${userId} AND key = ${key}`;
    return row;
  }

  /**
   * The answer for a key that was used before: its order when the request is the same one, else
   * FAILED_PRECONDITION. The same request is the same address, email and cart; a retry whose cart
   * was emptied by the first attempt counts the order's lines as its cart.
   */
  private async replay(
    previous: UsedKey,
    address: Address,
    email: string,
    cart: RequestLine[],
    hash: string,
  ): Promise<orderV1.Order> {
    const order = await this.find(previous.orderId);
    if (!order) throw new Error(`idempotency key points at missing order ${previous.orderId}`);
    const same =
      previous.requestHash === hash ||
      (cart.length === 0 && previous.requestHash === requestHash(address, email, order.items.map((item) => ({ sku: item.sku, quantity: item.quantity }))));
    if (!same) {
      this.placed.inc({ outcome: 'key_reused' });
      throw new AppError('failed_precondition', 'idempotency key was used with a different request');
    }
    this.placed.inc({ outcome: 'replayed' });
    return toOrder(order, { withClientSecret: true });
  }
}
