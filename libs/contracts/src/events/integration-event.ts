import { randomUUID } from 'node:crypto';
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
}

export type EventType = keyof EventCatalog;

export const EVENT_VERSIONS: { [K in EventType]: number } = {
  'user.registered': 1,
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
