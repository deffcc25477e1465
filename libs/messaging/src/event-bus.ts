import type { IntegrationEvent } from '@shop/contracts';
import type { RetryPolicy } from './delivery';

export interface OutboundMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

export interface InboundMessage {
  topic: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

export type EventHandler = (event: IntegrationEvent, message: InboundMessage) => Promise<void>;

/** A message with its parsed envelope. */
export interface Delivery {
  event: IntegrationEvent;
  message: InboundMessage;
}

/**
 * Handles many messages of different keys at once (one transaction for all, say) and returns those
 * it did not handle, which then go one by one through the handler, with its retries.
 */
export type BatchHandler = (deliveries: Delivery[], source?: DeliverySource) => Promise<Delivery[]>;

/** Who delivers a batch: the consumer group (as the bus knows it) and the bus (`messaging.system` on the spans). */
export interface DeliverySource {
  groupId: string;
  system: string;
}

export interface Subscription {
  /** Consumers in one group share the work; each group sees every event. */
  groupId: string;
  topics: string[];
  handler: EventHandler;
  /** Takes the messages of a batch together, at most one per key at a time; the handler takes the rest. */
  batchHandler?: BatchHandler;
  /** The batch handler keeps each key's order itself: it takes a whole batch at once, several messages per key. */
  batchInOrder?: boolean;
  /** How long a failing message is retried before it goes to the dead-letter topic; the bus's default otherwise. */
  retry?: RetryPolicy;
  /** How many keys are handled at once (default DEFAULT_KEY_CONCURRENCY); 1 handles one message at a time. */
  concurrency?: number;
  /**
   * Every process that subscribes gets every message published after it subscribed, instead of sharing
   * the group's work, and no offset outlives the process: for what each replica keeps in memory (caches).
   */
  broadcast?: boolean;
}

/** Kafka in production; the Postgres event log in the embedded default. Both deliver at least once, in order per key. */
export interface EventBus {
  readonly kind: 'kafka' | 'postgres';
  connect(): Promise<void>;
  publish(messages: OutboundMessage[]): Promise<void>;
  subscribe(subscription: Subscription): Promise<void>;
  /** Throws when the bus cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const deadLetterTopic = (topic: string) => `${topic}.dlq`;
