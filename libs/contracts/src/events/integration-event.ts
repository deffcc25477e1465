import { randomUUID } from 'node:crypto';
import type { InventoryCommittedV1, InventoryRejectedV1, InventoryReleasedV1, InventoryReservedV1, StockChangedV1 } from './inventory-events';
import type { OrderCancelledV1, OrderConfirmedV1, OrderCreatedV1, OrderStatusChangedV1 } from './order-events';
import type { PaymentCanceledV1, PaymentFailedV1, PaymentRefundedV1, PaymentSucceededV1 } from './payment-events';
import type { ProductChangedV1, ProductDeletedV1 } from './product-events';
import type { UserRegisteredV1 } from './user-events';

/**
 * Every event on the bus is this JSON envelope, keyed by aggregate id so one aggregate's events
 * stay in order. `version` is the payload's schema version: a consumer refuses versions it does not know.
 */
export interface IntegrationEvent<T = unknown> {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  aggregateId: string;
  payload: T;
}

/** Event type (which is also its topic) -> payload, for every event the platform publishes. */
export interface EventCatalog {
  'user.registered': UserRegisteredV1;
  'product.created': ProductChangedV1;
  'product.updated': ProductChangedV1;
  'product.deleted': ProductDeletedV1;
  'inventory.reserved': InventoryReservedV1;
  'inventory.rejected': InventoryRejectedV1;
  'inventory.released': InventoryReleasedV1;
  'inventory.committed': InventoryCommittedV1;
  'inventory.stock_changed': StockChangedV1;
  'order.created': OrderCreatedV1;
  'order.confirmed': OrderConfirmedV1;
  'order.cancelled': OrderCancelledV1;
  'order.status_changed': OrderStatusChangedV1;
  'payment.succeeded': PaymentSucceededV1;
  'payment.failed': PaymentFailedV1;
  'payment.refunded': PaymentRefundedV1;
  'payment.canceled': PaymentCanceledV1;
}

export type EventType = keyof EventCatalog;

export const EVENT_VERSIONS: { [K in EventType]: number } = {
  'user.registered': 1,
  'product.created': 1,
  'product.updated': 1,
  'product.deleted': 1,
  'inventory.reserved': 1,
  'inventory.rejected': 1,
  'inventory.released': 1,
  'inventory.committed': 1,
  'inventory.stock_changed': 1,
  'order.created': 1,
  'order.confirmed': 1,
  'order.cancelled': 1,
  'order.status_changed': 1,
  'payment.succeeded': 1,
  'payment.failed': 1,
  'payment.refunded': 1,
  'payment.canceled': 1,
};

export function createEvent<K extends EventType>(type: K, aggregateId: string, payload: EventCatalog[K]): IntegrationEvent<EventCatalog[K]> {
  return { id: randomUUID(), type, version: EVENT_VERSIONS[type], occurredAt: new Date().toISOString(), aggregateId, payload };
}

export function parseEvent(raw: string | Buffer): IntegrationEvent {
  const value = JSON.parse(raw.toString()) as Partial<IntegrationEvent>;
  if (typeof value.id !== 'string' || typeof value.type !== 'string' || typeof value.version !== 'number' || value.payload === undefined) {
    throw new Error('not an integration event envelope');
  }
  return value as IntegrationEvent;
}
