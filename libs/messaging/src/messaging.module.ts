import { type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap, Optional, type Provider, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EventBusConfig } from '@shop/config';
import type { ServiceMetrics } from '@shop/observability';
import { APP_CONFIG, LOGGER, METRICS, SERVICE_NAME, ShutdownSequence } from '@shop/service-kit';
import type { Logger } from 'pino';
import { createEventBus } from './create-event-bus';
import type { EventBus } from './event-bus';
import type { EventConsumer } from './event-consumer';
import { OutboxRelay } from './outbox-relay';

/** The service's event bus: Kafka, or the Postgres event log. */
export const EVENT_BUS = Symbol('EVENT_BUS');
const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/** An injectable class that handles events: `consumer()` names its group and a handler per message type. */
export interface EventConsumerProvider {
  consumer(): EventConsumer;
}

export interface MessagingOptions {
  /** Publish the service's outbox_events table (in its DATABASE_URL) through the bus. */
  outbox?: boolean;
  /** Consumer classes, provided by the service's own module; each is subscribed once the application has booted. */
  consumers?: Array<Type<EventConsumerProvider>>;
}

type MessagingConfig = EventBusConfig & { DATABASE_URL?: string };

/** Starts the outbox relay and subscribes the consumers when the application has booted, after every module's onModuleInit. */
@Injectable()
class MessagingStartup implements OnApplicationBootstrap {
  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly moduleRef: ModuleRef,
    @Optional() @Inject(OutboxRelay) private readonly relay?: OutboxRelay,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.relay?.start();
    for (const type of this.options.consumers ?? []) {
      const provider = this.moduleRef.get(type, { strict: false });
      await this.bus.subscribe(provider.consumer().subscription());
    }
  }
}

/**
 * Events for a service: EVENT_BUS, the OutboxRelay (with `outbox`) and its consumers' subscriptions.
 * Both are made from APP_CONFIG and put into the ShutdownSequence: the relay stops before the bus
 * closes (a relay publishing on a closing bus reconnected a closed Kafka producer), the bus closes
 * (its consumers finishing the message in hand) before the database goes.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions = {}): DynamicModule {
    const bus: Provider = {
      provide: EVENT_BUS,
      inject: [SERVICE_NAME, APP_CONFIG, LOGGER, METRICS, ShutdownSequence],
      useFactory: (service: string, config: MessagingConfig, logger: Logger, metrics: ServiceMetrics, shutdown: ShutdownSequence) => {
        // The service's name is the Kafka client id, unless KAFKA_CLIENT_ID says otherwise.
        const created = createEventBus(config, service, logger, metrics);
        shutdown.add('bus', 'event bus', () => created.close());
        return created;
      },
    };
    const relay: Provider = {
      provide: OutboxRelay,
      inject: [APP_CONFIG, EVENT_BUS, LOGGER, METRICS, ShutdownSequence],
      useFactory: (config: MessagingConfig, eventBus: EventBus, logger: Logger, metrics: ServiceMetrics, shutdown: ShutdownSequence) => {
        if (!config.DATABASE_URL) throw new Error('the outbox relay needs DATABASE_URL');
        const created = new OutboxRelay({ databaseUrl: config.DATABASE_URL, bus: eventBus, logger, metrics });
        shutdown.add('relay', 'outbox relay', () => created.stop());
        return created;
      },
    };
    const outbox = options.outbox ? [relay] : [];
    return {
      module: MessagingModule,
      providers: [{ provide: MESSAGING_OPTIONS, useValue: options }, bus, ...outbox, MessagingStartup],
      exports: [EVENT_BUS, ...(options.outbox ? [OutboxRelay] : [])],
    };
  }
}
