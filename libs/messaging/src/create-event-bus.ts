import type { EventBusConfig } from '@shop/config';
import type { ServiceMetrics } from '@shop/observability';
import type { Logger } from 'pino';
import type { EventBus } from './event-bus';
import { KafkaEventBus } from './kafka-event-bus';
import { PostgresEventLog } from './postgres-event-log';

/** Kafka when KAFKA_BROKERS is set, else the Postgres event log of the embedded default. */
export function createEventBus(config: EventBusConfig, service: string, logger: Logger, metrics?: ServiceMetrics): EventBus {
  const bus = createBus(config, service, logger, metrics);
  const prefix = config.EVENT_GROUP_PREFIX ?? '';
  if (!prefix) return bus;
  const subscribe = bus.subscribe.bind(bus);
  bus.subscribe = (subscription) => subscribe({ ...subscription, groupId: `${prefix}${subscription.groupId}` });
  return bus;
}

function createBus(config: EventBusConfig, service: string, logger: Logger, metrics?: ServiceMetrics): EventBus {
  if (config.KAFKA_BROKERS.length > 0) {
    return new KafkaEventBus({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? service, logger, metrics });
  }
  if (!config.EVENTS_DATABASE_URL) throw new Error('no event bus configured');
  return new PostgresEventLog({ databaseUrl: config.EVENTS_DATABASE_URL, logger, metrics });
}
