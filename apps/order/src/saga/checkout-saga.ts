import { status as grpcStatus } from '@grpc/grpc-js';
import { Inject, Injectable } from '@nestjs/common';
import type {
  IntegrationEvent,
  InventoryRejectedV1,
  InventoryReservedV1,
  PaymentFailedV1,
  PaymentRefundedV1,
  PaymentSucceededV1,
} from '@shop/contracts';
import { isServiceError } from '@shop/errors';
import { handleOnce } from '@shop/messaging';
import type { ServiceMetrics } from '@shop/observability';
import { APP_CONFIG, LOGGER, METRICS } from '@shop/service-kit';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { isUuid } from '../carts/carts.service';
import type { OrderConfig } from '../config';
import { INVENTORY_CLIENT, type InventoryClient, PAYMENT_CLIENT, type PaymentClient } from '../downstreams';
import { CHECKOUT_STATUSES } from '../orders/order-status';
import { type LockedOrder, lockOrder, transition } from '../orders/transitions';
import { PRISMA, type PrismaClient, type Tx } from '../prisma';

/** The consumer group (and inbox name) of the checkout saga. */
export const SAGA_CONSUMER = 'order-service.checkout';
export const SAGA_TOPICS = ['inventory.reserved', 'inventory.rejected', 'payment.succeeded', 'payment.failed', 'payment.refunded'];

/**
 * The order's side of the checkout saga (choreography, with the order service creating the payment):
 * inventory.reserved → payment created, AWAITING_PAYMENT; inventory.rejected → CANCELLED;
 * payment.succeeded → CONFIRMED; payment.failed → CANCELLED; a full payment.refunded → REFUNDED.
 * Each event is handled once (inbox) and an event that no longer applies to the order, because it
 * moved on or arrived out of order, is acknowledged and changes nothing.
 */
@Injectable()
export class CheckoutSaga {
  private readonly outcomes: Counter<'event' | 'outcome'>;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(PAYMENT_CLIENT) private readonly payment: PaymentClient,
    @Inject(INVENTORY_CLIENT) private readonly inventory: InventoryClient,
    @Inject(APP_CONFIG) private readonly config: OrderConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: ServiceMetrics,
  ) {
    this.outcomes = metrics.counter('shop_order_saga_events_total', 'Checkout saga events, by type and what they did', ['event', 'outcome']);
  }

  async handle(event: IntegrationEvent): Promise<void> {
    if (event.version !== 1) throw new Error(`${event.type} v${event.version} is not understood`);
    const orderId = (event.payload as { orderId?: unknown }).orderId;
    // Events for orders of another deployment sharing the broker (or garbage) are not ours.
    if (typeof orderId !== 'string' || !isUuid(orderId)) return this.count(event, 'not_ours');
    switch (event.type) {
      case 'inventory.reserved':
        return this.onReserved(event as IntegrationEvent<InventoryReservedV1>);
      case 'inventory.rejected': {
        const { shortSkus } = (event as IntegrationEvent<InventoryRejectedV1>).payload;
        return this.apply(event, orderId, (tx, order) =>
          order.status === 'PENDING' ? transition(tx, order, 'CANCELLED', `out of stock: ${shortSkus.join(', ')}`) : undefined,
        );
      }
      case 'payment.succeeded': {
        const { paymentId } = (event as IntegrationEvent<PaymentSucceededV1>).payload;
        return this.apply(event, orderId, async (tx, order) => {
          // Paid before AWAITING_PAYMENT was recorded: the order passes through it. A cancelled order
          // stays cancelled; the payment service refunds it on order.cancelled.
          if (order.status === 'PENDING') await transition(tx, order, 'AWAITING_PAYMENT', 'payment created', { paymentId });
          if (order.status !== 'AWAITING_PAYMENT') return false;
          await transition(tx, order, 'CONFIRMED', 'payment succeeded', { paymentId, paymentStatus: 'succeeded' });
        });
      }
      case 'payment.failed': {
        const { reason } = (event as IntegrationEvent<PaymentFailedV1>).payload;
        return this.apply(event, orderId, (tx, order) =>
          (CHECKOUT_STATUSES as string[]).includes(order.status)
            ? transition(tx, order, 'CANCELLED', `payment failed: ${reason || 'declined'}`, { paymentStatus: 'failed' })
            : false,
        );
      }
      case 'payment.refunded': {
        const { full } = (event as IntegrationEvent<PaymentRefundedV1>).payload;
        return this.apply(event, orderId, async (tx, order) => {
          if (!full) {
            await tx.order.update({ where: { id: order.id }, data: { paymentStatus: 'partially_refunded' } });
            return false;
          }
          if (order.status !== 'CANCELLED' && order.status !== 'DELIVERED') {
            await tx.order.update({ where: { id: order.id }, data: { paymentStatus: 'refunded' } });
            return false;
          }
          await transition(tx, order, 'REFUNDED', 'payment refunded', { paymentStatus: 'refunded' });
        });
      }
      default:
        return this.count(event, 'ignored');
    }
  }

  /**
   * Cancels up to `limit` checkouts that made no progress for CHECKOUT_TIMEOUT_SECONDS, in one
   * transaction; returns how many. SKIP LOCKED lets replicas share the work and never waits on an
   * order that an event is moving right now.
   */
  async cancelTimedOut(limit: number): Promise<number> {
    const cancelled = await this.prisma.$transaction(async (tx) => {
      const due = await tx.$queryRaw<Array<{ id: string; user_id: string; status: LockedOrder['status']; payment_id: string }>>`
        SELECT id::text AS id, user_id, status, payment_id FROM orders
         WHERE status IN ('PENDING', 'AWAITING_PAYMENT')
           AND updated_at < now() - ${this.config.CHECKOUT_TIMEOUT_SECONDS}::int * interval '1 second'
         ORDER BY updated_at LIMIT ${limit}
           FOR UPDATE SKIP LOCKED`;
      for (const row of due) {
        await transition(tx, { id: row.id, userId: row.user_id, status: row.status, paymentId: row.payment_id }, 'CANCELLED', 'checkout timed out');
      }
      return due.length;
    });
    if (cancelled > 0) this.outcomes.inc({ event: 'checkout.timeout', outcome: 'cancelled' }, cancelled);
    return cancelled;
  }

  /**
   * Stock is held: create the payment (idempotent per order, so a redelivery asks again safely) and
   * wait for it. The payment service being down throws, so the delivery is retried with backoff;
   * if it stays down the order stays PENDING until the timeout cancels it.
   */
  private async onReserved(event: IntegrationEvent<InventoryReservedV1>): Promise<void> {
    const { orderId } = event.payload;
    const order = await this.prisma.order.findUnique({ where: { id: orderId } });
    if (!order) return this.count(event, 'not_ours');
    if (order.status === 'CANCELLED' || order.status === 'REFUNDED') {
      // Reserved after the order was given up (events of different topics are not ordered with
      // each other): give the units back rather than leave them held until the reservation expires.
      await this.releaseLateReservation(orderId);
      return this.count(event, 'released_late');
    }
    if (order.status !== 'PENDING') return this.count(event, 'stale');
    const payment = await this.payment.call('createPayment', {
      orderId,
      amount: { amount: order.totalAmount, currency: order.currency },
      customerEmail: order.email,
    });
    await this.apply(event, orderId, (tx, locked) =>
      locked.status === 'PENDING'
        ? transition(tx, locked, 'AWAITING_PAYMENT', 'stock reserved, awaiting payment', {
            paymentId: payment.id,
            paymentProvider: payment.provider,
            clientSecret: payment.clientSecret,
            paymentStatus: payment.status,
          })
        : false,
    );
  }

  /** Runs `change` once per event, under the order's row lock; false or a missing order means "no longer applies". */
  private async apply(event: IntegrationEvent, orderId: string, change: (tx: Tx, order: LockedOrder) => Promise<unknown> | unknown): Promise<void> {
    let outcome = 'duplicate';
    await handleOnce(this.prisma, SAGA_CONSUMER, event.id, async (tx) => {
      const order = await lockOrder(tx, orderId);
      if (!order) {
        outcome = 'not_ours';
        return;
      }
      const before = order.status;
      const result = await change(tx, order);
      outcome = result === false || order.status === before ? 'stale' : 'applied';
      if (outcome === 'stale') this.logger.info({ orderId, event: event.type, status: before }, 'saga event no longer applies to the order');
    });
    this.count(event, outcome);
  }

  private async releaseLateReservation(orderId: string): Promise<void> {
    try {
      await this.inventory.call('releaseReservation', { orderId, reason: 'order cancelled' });
    } catch (error) {
      // Committed or already gone: nothing is held for nothing.
      if (isServiceError(error) && (error.code === grpcStatus.FAILED_PRECONDITION || error.code === grpcStatus.NOT_FOUND)) return;
      throw error;
    }
  }

  private count(event: IntegrationEvent, outcome: string): void {
    this.outcomes.inc({ event: event.type, outcome });
  }
}
