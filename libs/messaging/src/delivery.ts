import { parseEvent } from '@shop/contracts';
import type { ServiceMetrics } from '@shop/observability';
import type { Counter } from 'prom-client';
import type { Logger } from 'pino';
import { deadLetterTopic, type EventHandler, type InboundMessage, type OutboundMessage } from './event-bus';

export interface RetryPolicy {
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 200, maxBackoffMs: 5000 };

export interface DeliveryDeps {
  logger: Logger;
  metrics?: ServiceMetrics;
  retry?: RetryPolicy;
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
 * (or cannot be parsed) goes to `<topic>.dlq` with the error, so one poison message never blocks the rest.
 */
export async function deliver(groupId: string, message: InboundMessage, handler: EventHandler, deps: DeliveryDeps): Promise<void> {
  const retry = deps.retry ?? DEFAULT_RETRY;
  let lastError: unknown;
  let event;
  try {
    event = parseEvent(message.value);
  } catch (error) {
    lastError = error;
  }
  if (event) {
    for (let attempt = 1; attempt <= retry.maxAttempts; attempt += 1) {
      try {
        await handler(event, message);
        return;
      } catch (error) {
        lastError = error;
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
}
