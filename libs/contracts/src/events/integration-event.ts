import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { CancelPaymentV1, CommitStockV1, CreatePaymentV1, ReleaseStockV1, ReserveStockV1 } from './checkout-commands';
import { InventoryCommittedV1, InventoryRejectedV1, InventoryReleasedV1, InventoryReservedV1, StockChangedV1 } from './inventory-events';
import { NotificationCreatedV1 } from './notification-events';
import { OrderCancelledV1, OrderConfirmedV1, OrderCreatedV1, OrderDeliveredV1, OrderShippedV1, OrderStatusChangedV1 } from './order-events';
import { PaymentCanceledV1, PaymentCreatedV1, PaymentFailedV1, PaymentRefundedV1, PaymentSucceededV1 } from './payment-events';
import { CategoryChangedV1, ProductChangedV1, ProductDeletedV1 } from './product-events';
import { ReviewSummaryChangedV1 } from './review-events';
import { UserAccessChangedV1, UserProfileChangedV1, UserRegisteredV1 } from './user-events';

/**
 * Every message on the bus is this JSON envelope, keyed by aggregate id so one aggregate's messages
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

/**
 * Every message the platform publishes: its payload schema, its version and its topic. Events are
 * facts, each on the topic named by its type; commands go to their participant's one command topic,
 * so the commands for one order keep their order.
 */
export const MESSAGES = {
  'user.registered': { schema: UserRegisteredV1, version: 1 },
  'user.profile_changed': { schema: UserProfileChangedV1, version: 1 },
  'user.access_changed': { schema: UserAccessChangedV1, version: 1 },
  'product.created': { schema: ProductChangedV1, version: 1 },
  'product.updated': { schema: ProductChangedV1, version: 1 },
  'product.deleted': { schema: ProductDeletedV1, version: 1 },
  'category.changed': { schema: CategoryChangedV1, version: 1 },
  'inventory.reserved': { schema: InventoryReservedV1, version: 1 },
  'inventory.rejected': { schema: InventoryRejectedV1, version: 1 },
  'inventory.released': { schema: InventoryReleasedV1, version: 1 },
  'inventory.committed': { schema: InventoryCommittedV1, version: 1 },
  'inventory.stock_changed': { schema: StockChangedV1, version: 1 },
  'order.created': { schema: OrderCreatedV1, version: 1 },
  'order.confirmed': { schema: OrderConfirmedV1, version: 1 },
  'order.cancelled': { schema: OrderCancelledV1, version: 1 },
  'order.status_changed': { schema: OrderStatusChangedV1, version: 1 },
  'order.shipped': { schema: OrderShippedV1, version: 1 },
  'order.delivered': { schema: OrderDeliveredV1, version: 1 },
  'payment.created': { schema: PaymentCreatedV1, version: 1 },
  'payment.succeeded': { schema: PaymentSucceededV1, version: 1 },
  'payment.failed': { schema: PaymentFailedV1, version: 1 },
  'payment.refunded': { schema: PaymentRefundedV1, version: 1 },
  'payment.canceled': { schema: PaymentCanceledV1, version: 1 },
  'notification.created': { schema: NotificationCreatedV1, version: 1 },
  'review.summary_changed': { schema: ReviewSummaryChangedV1, version: 1 },
  'inventory.reserve': { schema: ReserveStockV1, version: 1, topic: 'inventory.commands' },
  'inventory.commit': { schema: CommitStockV1, version: 1, topic: 'inventory.commands' },
  'inventory.release': { schema: ReleaseStockV1, version: 1, topic: 'inventory.commands' },
  'payment.create': { schema: CreatePaymentV1, version: 1, topic: 'payment.commands' },
  'payment.cancel': { schema: CancelPaymentV1, version: 1, topic: 'payment.commands' },
} as const satisfies Record<string, { schema: z.ZodType; version: number; topic?: string }>;

export type EventType = keyof typeof MESSAGES;

/** Message type -> payload, for every message the platform publishes. */
export type EventCatalog = { [K in EventType]: z.infer<(typeof MESSAGES)[K]['schema']> };

/** An envelope whose type and payload belong together. */
export type EventOf<K extends EventType> = IntegrationEvent<EventCatalog[K]> & { type: K };

/** One of several types, each envelope with its own payload: `OneOf<'a' | 'b'>` is `EventOf<'a'> | EventOf<'b'>`. */
export type OneOf<K extends EventType> = { [T in K]: EventOf<T> }[K];

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(MESSAGES, type);
}

/** The topic a message type travels on. */
export function topicOf(type: EventType): string {
  const spec = MESSAGES[type];
  return 'topic' in spec ? spec.topic : type;
}

export function createEvent<K extends EventType>(type: K, aggregateId: string, payload: EventCatalog[K]): EventOf<K> {
  return { id: randomUUID(), type, version: MESSAGES[type].version, occurredAt: new Date().toISOString(), aggregateId, payload };
}

/** Reads the envelope only; `decodeEvent` also checks the payload against its schema. */
export function parseEvent(raw: string | Buffer): IntegrationEvent {
  const value = JSON.parse(raw.toString()) as Partial<IntegrationEvent>;
  if (typeof value.id !== 'string' || typeof value.type !== 'string' || typeof value.version !== 'number' || value.payload === undefined) {
    throw new Error('not an integration event envelope');
  }
  return value as IntegrationEvent;
}

export type DecodeResult<K extends EventType> = { ok: true; event: EventOf<K> } | { ok: false; reason: string };

/** Checks an envelope of type `type` against the catalogue: the version it knows and the payload's schema. */
export function decodeEvent<K extends EventType>(type: K, event: IntegrationEvent): DecodeResult<K> {
  const spec = MESSAGES[type];
  if (event.version !== spec.version) return { ok: false, reason: `${type} v${event.version} is not understood (this consumer reads v${spec.version})` };
  const parsed = spec.schema.safeParse(event.payload);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
    return { ok: false, reason: `invalid ${type} payload: ${issues.join('; ')}` };
  }
  return { ok: true, event: { ...event, type, payload: parsed.data } as EventOf<K> };
}
