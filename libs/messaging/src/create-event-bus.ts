import type { EventBusConfig } from '@shop/config';
import type { ServiceMetrics } from '@shop/observability';
import type { Logger } from 'pino';
import type { EventBus } from './event-bus';
import { KafkaEventBus } from './kafka-event-bus';
import { kafkaSecurity } from './kafka-security';
import { PostgresEventLog } from './postgres-event-log';

/** Kafka when KAFKA_BROKERS is set, else the Postgres event log of the embedded default. */
export function createEventBus(config: EventBusConfig, service: string, logger: Logger, metrics?: ServiceMetrics): EventBus {
  const bus = createBus(config, service, logger, metrics);
  const groupPrefix = config.EVENT_GROUP_PREFIX ?? '';
  const topicPrefix = config.EVENT_TOPIC_PREFIX ?? '';
  if (!groupPrefix && !topicPrefix) return bus;
  return {
    kind: bus.kind,
    connect: () => bus.connect(),
    publish: (messages) => bus.publish(messages.map((message) => ({ ...message, topic: `${topicPrefix}${message.topic}` }))),
    subscribe: (subscription) =>
      bus.subscribe({ ...subscription, groupId: `${groupPrefix}${subscription.groupId}`, topics: subscription.topics.map((topic) => `${topicPrefix}${topic}`) }),
    ping: () => bus.ping(),
    close: () => bus.close(),
  };
}

function createBus(config: EventBusConfig, service: string, logger: Logger, metrics?: ServiceMetrics): EventBus {
  if (config.KAFKA_BROKERS.length > 0) {
    return new KafkaEventBus({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? service, logger, metrics, security: kafkaSecurity(config) });
  }
  if (!config.EVENTS_DATABASE_URL) throw new Error('no event bus configured');
  return new PostgresEventLog({ databaseUrl: config.EVENTS_DATABASE_URL, logger, metrics });
}
