import { Inject, Injectable } from '@nestjs/common';
import { createEvent, type IntegrationEvent } from '@shop/contracts';
import { EventConsumer, handleEachOnce } from '@shop/messaging';
import type { ServiceMetrics } from '@shop/observability';
import type { SqlDatabase } from '@shop/persistence';
import { APP_CONFIG, LOGGER, METRICS, SQL_DATABASE } from '@shop/service-kit';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { OrderConfig } from '../config';
import { type LockedOrder, lockOrders, lockTimedOutOrders, OrderChanges } from '../orders/transitions';
import type { Tx } from '../prisma';
import { cancelled, type CommandType, onReply, placed, type Reply, REPLY_TYPES, type Step } from './checkout-steps';

/** The consumer group (and inbox name) of the checkout saga. */
export const SAGA_CONSUMER = 'order-service.checkout';

/**
 * Runs the checkout saga that checkout-steps.ts decides. Replies are handled once each (inbox),
 * many in one transaction: the orders are locked, each reply's step is asked, and the moves,
 * history, order.* events and commands of all of them commit together.
 */
@Injectable()
export class CheckoutSaga {
  private readonly outcomes: Counter<'event' | 'outcome'>;

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(APP_CONFIG) private readonly config: OrderConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: ServiceMetrics,
  ) {
    this.outcomes = metrics.counter('shop_order_saga_events_total', 'Checkout saga events, by type and what they did', ['event', 'outcome']);
  }

  consumer(): EventConsumer {
    // A reply that cannot be applied now (the database restarting) is retried for about half a
    // minute before it is dead-lettered; the checkout timeout bounds the order's wait anyway.
    // Replies for one order arrive together (payment.created with payment.succeeded): a batch is applied in delivery order.
    return new EventConsumer(SAGA_CONSUMER, { retry: { maxAttempts: 12, initialBackoffMs: 250, maxBackoffMs: 3000 } }).onBatchInOrder(REPLY_TYPES, (replies) =>
      this.onReplies(replies),
    );
  }

  /** Within the transaction that writes a new PENDING order: its first command, after the order's own events. */
  async start(tx: Tx, orderId: string, lines: Array<{ sku: string; quantity: number }>, events: IntegrationEvent[] = []): Promise<void> {
    const changes = new OrderChanges();
    changes.publish([...events, ...commandsOf(placed(orderId, lines))]);
    await changes.flush(tx);
  }

  /** Within the caller's transaction, on the locked order: cancelled by the shopper or an admin. */
  async cancel(tx: Tx, order: LockedOrder, reason: string): Promise<void> {
    const changes = new OrderChanges();
    apply(changes, order, cancelled(order, reason));
    await changes.flush(tx);
  }

  /** Replies in one transaction, applied in the order given (several for one order among them); a reply seen before changes nothing. */
  async onReplies(replies: Reply[]): Promise<void> {
    const outcomes = new Map<Reply, string>(replies.map((reply) => [reply, 'duplicate']));
    await handleEachOnce(
      this.db,
      SAGA_CONSUMER,
      replies.map((reply) => reply.id),
      async (tx, fresh) => {
        // The same event twice in one batch (a redelivery) is applied once.
        const todo = replies.filter((reply) => fresh.delete(reply.id));
        const orders = await lockOrders(tx, todo.map((reply) => reply.payload.orderId));
        const changes = new OrderChanges();
        for (const reply of todo) {
          const order = orders.get(reply.payload.orderId);
          // An order of another deployment sharing the broker.
          if (!order) {
            outcomes.set(reply, 'not_ours');
            continue;
          }
          const step = onReply(order, reply);
          const applies = step.moves.length + step.commands.length > 0 || step.update !== undefined;
          outcomes.set(reply, applies ? 'applied' : 'stale');
          if (!applies) this.logger.info({ orderId: order.id, event: reply.type, status: order.status }, 'saga reply no longer applies to the order');
          apply(changes, order, step);
        }
        await changes.flush(tx);
      },
    );
    for (const [reply, outcome] of outcomes) this.outcomes.inc({ event: reply.type, outcome });
  }

  /**
   * Cancels up to `limit` checkouts that made no progress for CHECKOUT_TIMEOUT_SECONDS, in one
   * transaction; returns how many. SKIP LOCKED lets replicas share the work and never waits on an
   * order that a reply is moving right now.
   */
  async cancelTimedOut(limit: number): Promise<number> {
    const count = await this.db.$transaction(async (tx) => {
      const due = await lockTimedOutOrders(tx, this.config.CHECKOUT_TIMEOUT_SECONDS, limit);
      const changes = new OrderChanges();
      for (const order of due) apply(changes, order, cancelled(order, 'checkout timed out'));
      await changes.flush(tx);
      return due.length;
    });
    if (count > 0) this.outcomes.inc({ event: 'checkout.timeout', outcome: 'cancelled' }, count);
    return count;
  }
}

function apply(changes: OrderChanges, order: LockedOrder, step: Step): void {
  for (const move of step.moves) changes.move(order, move.to, move.reason, move.data);
  if (step.update) changes.update(order, step.update);
  changes.publish(commandsOf(step));
}

function commandsOf(step: Step) {
  return step.commands.map((command) => createEvent<CommandType>(command.type, command.payload.orderId, command.payload));
}
