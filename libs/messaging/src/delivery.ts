import { type IntegrationEvent, parseEvent } from '@shop/contracts';
import type { ServiceMetrics } from '@shop/observability';
import type { Counter } from 'prom-client';
import type { Logger } from 'pino';
import { traceProcess } from './messaging-tracing';
import { type BatchHandler, deadLetterTopic, type Delivery, type EventHandler, type InboundMessage, type OutboundMessage } from './event-bus';

export interface RetryPolicy {
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 200, maxBackoffMs: 5000 };

/** A message that no retry can help (it does not match its schema): it goes to the dead-letter topic at once. */
export class UndeliverableMessageError extends Error {
  override readonly name = 'UndeliverableMessageError';
}

export interface DeliveryDeps {
  logger: Logger;
  metrics?: ServiceMetrics;
  retry?: RetryPolicy;
  /** `messaging.system` on the consumers' spans: kafka, or shop_event_log. */
  system?: string;
  publishDeadLetter(message: OutboundMessage): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function deadLetterCounter(metrics?: ServiceMetrics): Counter<'topic' | 'group'> | undefined {
  return metrics?.counter('shop_messaging_dead_letter_total', 'Messages moved to a dead-letter topic after failing every retry', [
    'topic',
    'group',
  ]);
}

/**
 * Hands one message to a handler, retrying with exponential backoff; a message that still fails
 * (or cannot be parsed, or is undeliverable) goes to `<topic>.dlq` with the reason, so one poison
 * message never blocks the rest.
 */
export async function deliver(groupId: string, message: InboundMessage, handler: EventHandler, deps: DeliveryDeps): Promise<void> {
  // While tracing is off, traceProcess only calls the function it is given.
  await traceProcess(deps.system ?? 'kafka', groupId, message, () => deliverWithRetries(groupId, message, handler, deps));
}

/** Delivers with retries; answers why the message was dead-lettered, or undefined when it was handled. */
async function deliverWithRetries(groupId: string, message: InboundMessage, handler: EventHandler, deps: DeliveryDeps): Promise<string | undefined> {
  const retry = deps.retry ?? DEFAULT_RETRY;
  let lastError: unknown;
  let event: IntegrationEvent | undefined;
  try {
    event = parseEvent(message.value);
  } catch (error) {
    lastError = error;
  }
  if (event) {
    for (let attempt = 1; attempt <= retry.maxAttempts; attempt += 1) {
      try {
        await handler(event, message);
        return undefined;
      } catch (error) {
        lastError = error;
        if (error instanceof UndeliverableMessageError) break;
        if (attempt < retry.maxAttempts) {
          const backoff = Math.min(retry.maxBackoffMs, retry.initialBackoffMs * 2 ** (attempt - 1));
          deps.logger.warn({ err: error, topic: message.topic, group: groupId, attempt, eventId: event.id }, 'event handler failed, retrying');
          await sleep(backoff);
        }
      }
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  deps.logger.error({ err: lastError, topic: message.topic, group: groupId, eventId: event?.id }, 'event moved to dead-letter topic');
  await deps.publishDeadLetter({
    topic: deadLetterTopic(message.topic),
    key: message.key ?? '',
    value: message.value,
    headers: { ...message.headers, 'x-dead-letter-reason': reason.slice(0, 1000), 'x-dead-letter-group': groupId, 'x-original-topic': message.topic },
  });
  deadLetterCounter(deps.metrics)?.inc({ topic: message.topic, group: groupId });
  return reason;
}

/** How many keys a consumer works on at once; one key's messages always go one after another. */
export const DEFAULT_KEY_CONCURRENCY = 32;

/**
 * Delivers a batch: messages with the same key one after another in batch order, different keys
 * side by side. Without a batch handler, each key's messages go to the handler (at most
 * `concurrency` keys at once). With one, the batch goes in waves, the first message of every key,
 * then the second… (or whole, to a batch handler that keeps each key's order itself); each wave is
 * offered to the batch handler, and what it leaves goes to the handler one by one, in order per
 * key. Resolves when every message is delivered (or dead-lettered), so the caller may then commit
 * the batch's last offset.
 */
export async function deliverBatch(
  groupId: string,
  messages: InboundMessage[],
  handler: EventHandler,
  deps: DeliveryDeps & { concurrency?: number; batchHandler?: BatchHandler; batchInOrder?: boolean },
): Promise<void> {
  const oneByOne = (some: InboundMessage[]) =>
    eachConcurrently(byKey(some), deps.concurrency, async (queue) => {
      for (const message of queue) await deliver(groupId, message, handler, deps);
    });
  const { batchHandler } = deps;
  if (!batchHandler) return oneByOne(messages);
  const queues = byKey(messages);
  // A handler that keeps each key's order takes the batch whole; others take it in waves of one message per key.
  const waves = deps.batchInOrder ? [messages] : Array.from({ length: Math.max(0, ...queues.map((queue) => queue.length)) }, (_, index) =>
    queues.flatMap((queue) => (index < queue.length ? [queue[index]!] : [])),
  );
  for (const wave of waves) {
    const parsed: Delivery[] = [];
    const unparsed: InboundMessage[] = [];
    for (const message of wave) {
      try {
        parsed.push({ event: parseEvent(message.value), message });
      } catch {
        unparsed.push(message);
      }
    }
    let rest: InboundMessage[];
    try {
      // The batch handler traces what it takes (EventConsumer.dispatchBatch): a span per message it handles.
      rest = [...unparsed, ...(await batchHandler(parsed, { groupId, system: deps.system ?? 'kafka' })).map((delivery) => delivery.message)];
    } catch (error) {
      // One message spoils the batch (or the database blinked): every message gets its own chance, with retries.
      deps.logger.warn({ err: error, group: groupId, size: wave.length }, 'batch handler failed; handling its messages one by one');
      rest = wave;
    }
    await oneByOne(rest);
  }
}

function byKey(messages: InboundMessage[]): InboundMessage[][] {
  const queues = new Map<string, InboundMessage[]>();
  messages.forEach((message, index) => {
    // Messages without a key have no order to keep among themselves.
    const key = message.key ?? `\u0000${index}`;
    const queue = queues.get(key);
    if (queue) queue.push(message);
    else queues.set(key, [message]);
  });
  return [...queues.values()];
}

async function eachConcurrently<T>(items: T[], concurrency: number | undefined, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  const workers = Math.max(1, Math.min(concurrency ?? DEFAULT_KEY_CONCURRENCY, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
}
