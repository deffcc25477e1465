import { decodeEvent, type EventOf, type EventType, type IntegrationEvent, isEventType, type OneOf, topicOf } from '@shop/contracts';
import type { RetryPolicy } from './delivery';
import { UndeliverableMessageError } from './delivery';
import type { Delivery, DeliverySource, InboundMessage, Subscription } from './event-bus';
import { traceProcessBatch } from './messaging-tracing';

export type TypedEventHandler<K extends EventType> = (event: EventOf<K>, message: InboundMessage) => Promise<void>;

/** Handles many events of one type and different keys together, all or nothing (one transaction). */
export type TypedBatchHandler<K extends EventType> = (events: Array<EventOf<K>>) => Promise<void>;

type Handlers = { single: TypedEventHandler<EventType> } | { batch: TypedBatchHandler<EventType>; inOrder?: boolean };

/**
 * A consumer group's handlers, one per message type: `on('inventory.reserved', handler)`, or
 * `onBatch('inventory.reserve', handler)` for a type whose events are cheaper handled many at a
 * time. Before a handler runs, the payload is checked against the catalogue's schema and version;
 * a message that fails goes to the dead-letter topic with the reason, without retries. Other types
 * on the same topics are acknowledged and skipped.
 */
export class EventConsumer {
  private readonly handlers = new Map<EventType, Handlers>();

  constructor(
    readonly groupId: string,
    private readonly options: { retry?: RetryPolicy; concurrency?: number; broadcast?: boolean } = {},
  ) {}

  on<K extends EventType>(type: K, handler: TypedEventHandler<K>): this {
    return this.register(type, { single: handler as unknown as TypedEventHandler<EventType> });
  }

  /** A batch handler also takes a message alone (a batch of one) when its batch failed, with retries. */
  onBatch<K extends EventType>(type: K, handler: TypedBatchHandler<K>): this {
    return this.register(type, { batch: handler as unknown as TypedBatchHandler<EventType> });
  }

  /**
   * One handler for several types that takes a whole batch in delivery order, several events of one
   * key among them, and keeps each key's order itself (one transaction applying them one after another).
   */
  onBatchInOrder<K extends EventType>(types: readonly K[], handler: (events: Array<OneOf<K>>) => Promise<void>): this {
    for (const type of types) this.register(type, { batch: handler as unknown as TypedBatchHandler<EventType>, inOrder: true });
    return this;
  }

  /** The topics the handled types travel on. */
  get topics(): string[] {
    return [...new Set([...this.handlers.keys()].map(topicOf))];
  }

  /** Validates and dispatches one envelope; throws UndeliverableMessageError when it does not fit its schema. */
  async dispatch(event: IntegrationEvent, message: InboundMessage): Promise<void> {
    if (!isEventType(event.type)) return;
    const handlers = this.handlers.get(event.type);
    if (!handlers) return;
    const decoded = decodeEvent(event.type, event);
    if (!decoded.ok) throw new UndeliverableMessageError(decoded.reason);
    if ('single' in handlers) await handlers.single(decoded.event, message);
    else await handlers.batch([decoded.event]);
  }

  /**
   * Hands each batch-handled type its valid events in one call; returns what is left for `dispatch`:
   * messages of single-handled types, invalid ones (to be dead-lettered) and those of a batch that failed.
   */
  async dispatchBatch(deliveries: Delivery[], source?: DeliverySource): Promise<Delivery[]> {
    const rest: Delivery[] = [];
    // One call per handler: per type, or for all the types an in-order handler takes.
    const batches = new Map<TypedBatchHandler<EventType>, { events: Array<EventOf<EventType>>; deliveries: Delivery[] }>();
    for (const delivery of deliveries) {
      const { event } = delivery;
      if (!isEventType(event.type)) continue;
      const handlers = this.handlers.get(event.type);
      if (!handlers) continue;
      const decoded = 'batch' in handlers ? decodeEvent(event.type, event) : undefined;
      if (!('batch' in handlers) || !decoded?.ok) {
        rest.push(delivery);
        continue;
      }
      const batch = batches.get(handlers.batch) ?? { events: [], deliveries: [] };
      batch.events.push(decoded.event);
      batch.deliveries.push(delivery);
      batches.set(handlers.batch, batch);
    }
    // A wave holds at most one message per key, so the handlers' batches touch different aggregates:
    // side by side. (An in-order handler takes all of a batch's types, so it is the only batch.)
    await Promise.all(
      [...batches].map(async ([handler, batch]) => {
        try {
          // With tracing on, a process span per message the handler takes, each continuing its message's trace.
          await traceProcessBatch(source?.system ?? 'kafka', source?.groupId ?? this.groupId, batch.deliveries, () => handler(batch.events));
        } catch {
          rest.push(...batch.deliveries);
        }
      }),
    );
    return rest;
  }

  subscription(): Subscription {
    if (this.handlers.size === 0) throw new Error(`${this.groupId} handles no message type`);
    const handlers = [...this.handlers.values()];
    const batched = handlers.some((each) => 'batch' in each);
    return {
      groupId: this.groupId,
      topics: this.topics,
      handler: (event, message) => this.dispatch(event, message),
      batchHandler: batched ? (deliveries, source) => this.dispatchBatch(deliveries, source) : undefined,
      // Whole batches only when every handler keeps each key's order itself.
      batchInOrder: handlers.every((each) => 'batch' in each && each.inOrder === true),
      retry: this.options.retry,
      concurrency: this.options.concurrency,
      broadcast: this.options.broadcast,
    };
  }

  private register(type: EventType, handlers: Handlers): this {
    if (this.handlers.has(type)) throw new Error(`${this.groupId} already handles ${type}`);
    this.handlers.set(type, handlers);
    return this;
  }
}
