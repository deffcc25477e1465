import type { IntegrationEvent, OrderCancelledV1, OrderCreatedV1 } from '@shop/contracts';
import { AppError } from '@shop/errors';
import type { Logger } from 'pino';
import type { ReservationsService } from './reservations.service';

/** The consumer group with which inventory follows orders. */
export const ORDER_EVENTS_CONSUMER = 'inventory-service.orders';
export const ORDER_TOPICS = ['order.created', 'order.confirmed', 'order.cancelled'];

const isKind = (error: unknown, ...kinds: AppError['kind'][]) => error instanceof AppError && kinds.includes(error.kind);

/**
 * Inventory's part of the checkout saga: order.created reserves the order's lines, order.confirmed
 * commits them, order.cancelled releases them. Every reservation call is idempotent per order, so
 * a redelivered event changes nothing and needs no inbox. Outcomes that retrying cannot change
 * (out of stock, nothing held, already committed) are acknowledged, not retried.
 */
export class OrderEventsConsumer {
  constructor(
    private readonly reservations: ReservationsService,
    private readonly logger: Logger,
  ) {}

  async handle(event: IntegrationEvent): Promise<void> {
    if (event.version !== 1) throw new Error(`${event.type} v${event.version} is not understood`);
    switch (event.type) {
      case 'order.created':
        return this.onCreated(event.payload as OrderCreatedV1);
      case 'order.confirmed': {
        const { orderId } = event.payload as { orderId: string };
        try {
          await this.reservations.commit(orderId);
        } catch (error) {
          // Paid, but the reservation was released or expired first, or never made here (an order of
          // another deployment on the same broker): retrying cannot change that, a person must look.
          if (!isKind(error, 'failed_precondition', 'not_found', 'invalid_argument')) throw error;
          this.logger.error({ err: error, orderId }, 'a confirmed order could not commit its reservation');
        }
        return;
      }
      case 'order.cancelled': {
        const { orderId, reason } = event.payload as OrderCancelledV1;
        try {
          await this.reservations.release(orderId, (reason ?? '').slice(0, 200));
        } catch (error) {
          // NOT_FOUND: nothing was held. FAILED_PRECONDITION: already sold (committed); a paid
          // order cancelled before shipment gives its units back instead.
          if (!isKind(error, 'not_found', 'failed_precondition', 'invalid_argument')) throw error;
          if (isKind(error, 'failed_precondition')) await this.returnCommitted(orderId, reason);
        }
        return;
      }
      default:
        return;
    }
  }

  private async returnCommitted(orderId: string, reason: string): Promise<void> {
    try {
      await this.reservations.returnCommitted(orderId, (reason ?? '').slice(0, 200));
    } catch (error) {
      if (!isKind(error, 'failed_precondition')) throw error;
      this.logger.warn({ err: error, orderId }, 'a cancelled order had nothing to give back');
    }
  }

  private async onCreated(order: OrderCreatedV1): Promise<void> {
    try {
      await this.reservations.reserve(
        order.orderId,
        order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
        0,
      );
    } catch (error) {
      // Out of stock is an answer, not a failure: inventory.rejected has been written already.
      if (isKind(error, 'failed_precondition')) return;
      // An order no reservation can ever be made for; the order's checkout timeout cancels it.
      if (isKind(error, 'invalid_argument')) {
        this.logger.error({ err: error, orderId: order.orderId }, 'order.created cannot be reserved');
        return;
      }
      throw error;
    }
  }
}
