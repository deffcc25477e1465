import { Metadata, status } from '@grpc/grpc-js';
import { createEvent, decodeEvent, type EventCatalog, type EventOf, type IntegrationEvent, inventoryV1, type PaymentCreatedV1, productV1, topicOf } from '@shop/contracts';
import { bindService, type ServiceHandlers, startGrpcServer, stopGrpcServer } from '@shop/grpc';
import { type InboundMessage, KafkaEventBus } from '@shop/messaging';
import { createLogger, ServiceMetrics } from '@shop/observability';
import { eventually } from '@shop/testing';
import { randomUUID } from 'node:crypto';

/*
 * What the order service talks to, played by the test: the product and inventory gRPC methods it
 * calls (answered from maps the test changes at will), and inventory and payment as checkout saga
 * participants on Kafka (commands recorded per order, replies published by the test).
 */

/** The commands the order service sends, and the replies it waits for (libs/contracts). */
export type CommandType = 'inventory.reserve' | 'inventory.commit' | 'inventory.release' | 'payment.create' | 'payment.cancel';
export type ReplyType = 'inventory.reserved' | 'inventory.rejected' | 'payment.created' | 'payment.succeeded' | 'payment.failed' | 'payment.canceled' | 'payment.refunded';

const COMMAND_TOPICS = ['inventory.commands', 'payment.commands'] as const;
export type CommandTopic = (typeof COMMAND_TOPICS)[number];

const silent = (name: string) => createLogger(name, 'silent');

// ---------------------------------------------------------------------------------------------
// Product and inventory over gRPC

export interface Offer {
  productId: string;
  name: string;
  price: { amount: number; currency: string };
  /** Published and not deleted. */
  purchasable: boolean;
}

export interface Catalogue {
  /** SKU → what the catalogue says of it; absent SKUs are unknown. */
  readonly variants: Map<string, Offer>;
  /** SKU → units available; absent SKUs have none. */
  readonly available: Map<string, number>;
  readonly productUrl: string;
  readonly inventoryUrl: string;
  /** Puts a buyable SKU in the catalogue with `available` units. */
  offer(sku: string, amount: number, available: number, changes?: Partial<Offer>): Offer;
  stop(): Promise<void>;
}

/** A gRPC error a caller sees as UNIMPLEMENTED (AppError has no such kind). */
function unimplemented(method: string): Error {
  return Object.assign(new Error(`${method} is not played by this test`), { code: status.UNIMPLEMENTED, details: `${method} is not played by this test`, metadata: new Metadata() });
}

/** Handlers for every method of `definition`: those given, and UNIMPLEMENTED for the rest. */
function standIn<D extends object>(service: string, definition: D, played: Partial<ServiceHandlers<D>>): ServiceHandlers<D> {
  const handlers: Record<string, unknown> = {};
  for (const method of Object.keys(definition)) {
    handlers[method] = (played as Record<string, unknown>)[method] ?? (() => Promise.reject(unimplemented(`${service}.${method}`)));
  }
  return handlers as ServiceHandlers<D>;
}

/** Product's GetVariantsBySku and inventory's GetStock, served from maps on one local gRPC port. */
export async function startCatalogue(): Promise<Catalogue> {
  const variants = new Map<string, Offer>();
  const available = new Map<string, number>();
  const product = standIn('ProductService', productV1.ProductServiceService, {
    getVariantsBySku: async ({ skus }) => ({
      items: skus.flatMap((sku) => {
        const offer = variants.get(sku);
        return offer ? [{ sku, productId: offer.productId, productName: offer.name, price: { ...offer.price }, attributes: {}, purchasable: offer.purchasable }] : [];
      }),
    }),
  });
  const inventory = standIn('InventoryService', inventoryV1.InventoryServiceService, {
    // Unknown SKUs are reported with zero stock, as the contract says.
    getStock: async ({ skus }) => ({ levels: skus.map((sku) => ({ sku, onHand: available.get(sku) ?? 0, reserved: 0, available: available.get(sku) ?? 0 })) }),
  });
  const { server, port } = await startGrpcServer({
    host: '127.0.0.1',
    port: 0,
    services: [bindService('ProductService', productV1.ProductServiceService, product), bindService('InventoryService', inventoryV1.InventoryServiceService, inventory)],
    logger: silent('catalogue-stand-in'),
    metrics: new ServiceMetrics('catalogue-stand-in'),
  });
  const url = `127.0.0.1:${port}`;
  return {
    variants,
    available,
    productUrl: url,
    inventoryUrl: url,
    offer(sku, amount, units, changes = {}) {
      const offer: Offer = { productId: `product-${sku.toLowerCase()}`, name: `Product ${sku}`, price: { amount, currency: 'EUR' }, purchasable: true, ...changes };
      variants.set(sku, offer);
      available.set(sku, units);
      return offer;
    },
    stop: () => stopGrpcServer(server, 1000),
  };
}

// ---------------------------------------------------------------------------------------------
// Inventory and payment on Kafka

export interface Received {
  /** The topic without the run's prefix. */
  topic: string;
  key: string | null;
  event: IntegrationEvent;
  headers: Record<string, string>;
}

/**
 * Inventory and payment as the saga sees them: every command on their topics is recorded by order
 * id (and checked against its schema); replies go out as the real participants would send them.
 * Topics carry the run's prefix, as the order service's EVENT_TOPIC_PREFIX does.
 */
export class Participants {
  private readonly received: Received[] = [];

  private constructor(
    private readonly bus: KafkaEventBus,
    private readonly prefix: string,
  ) {}

  /** Subscribes (a new group, from the beginning) to the command topics and to `watch`, say a dead-letter topic. */
  static async start(options: { brokers: string[]; prefix: string; watch?: string[] }): Promise<Participants> {
    const bus = new KafkaEventBus({ brokers: options.brokers, clientId: `${options.prefix}participants`, logger: silent('participants') });
    const participants = new Participants(bus, options.prefix);
    const topics = [...COMMAND_TOPICS, ...(options.watch ?? [])];
    await bus.subscribe({
      groupId: `${options.prefix}test-participants`,
      topics: topics.map((topic) => `${options.prefix}${topic}`),
      handler: async (event, message) => participants.record(event, message),
    });
    return participants;
  }

  private record(event: IntegrationEvent, message: InboundMessage): void {
    this.received.push({ topic: message.topic.slice(this.prefix.length), key: message.key, event, headers: message.headers });
  }

  /** Everything received on a topic (without prefix), in arrival order. */
  on(topic: string): Received[] {
    return this.received.filter((message) => message.topic === topic);
  }

  /** The types of the commands received for an order so far, per topic in the order they were sent. */
  commands(orderId: string, topic?: CommandTopic): string[] {
    return this.received
      .filter((message) => (topic ? message.topic === topic : (COMMAND_TOPICS as readonly string[]).includes(message.topic)) && message.key === orderId)
      .map((message) => message.event.type);
  }

  /** Waits for the order's `count`th command of `type`, checked against its schema; returns them all. */
  async commandsOf<K extends CommandType>(orderId: string, type: K, count = 1, timeoutMs = 60_000): Promise<Array<EventOf<K>>> {
    const found = await eventually(
      async () => {
        const matching = this.received.filter((message) => message.key === orderId && message.event.type === type);
        return matching.length >= count ? matching : undefined;
      },
      timeoutMs,
      `${count} ${type} command(s) for order ${orderId}`,
    );
    return found.map(({ topic, event }) => {
      if (topic !== topicOf(type)) throw new Error(`${type} arrived on ${topic}, not ${topicOf(type)}`);
      const decoded = decodeEvent(type, event);
      if (!decoded.ok) throw new Error(`the order service sent an invalid command: ${decoded.reason}`);
      return decoded.event;
    });
  }

  /** Waits for the order's first command of `type`. */
  async command<K extends CommandType>(orderId: string, type: K, timeoutMs = 60_000): Promise<EventOf<K>> {
    return (await this.commandsOf(orderId, type, 1, timeoutMs))[0]!;
  }

  /** Publishes a participant's reply for the order, as the participant would; returns the envelope sent. */
  async reply<K extends ReplyType>(type: K, orderId: string, payload: EventCatalog[K]): Promise<EventOf<K>> {
    const event = createEvent(type, orderId, payload);
    await this.send(event);
    return event;
  }

  /** Publishes an envelope as it is, `times` times (a redelivery carries the same event id). */
  async send(event: IntegrationEvent & { type: ReplyType }, times = 1): Promise<void> {
    await this.publish(topicOf(event.type), event.aggregateId, JSON.stringify(event), times);
  }

  /** Publishes any value on a topic (without prefix). */
  async publish(topic: string, key: string, value: string, times = 1): Promise<void> {
    const message = { topic: `${this.prefix}${topic}`, key, value, headers: {} };
    await this.bus.publish(Array.from({ length: times }, () => message));
  }

  /** Plays inventory holding every line of the order's reserve command; returns the command. */
  async reserve(orderId: string): Promise<EventOf<'inventory.reserve'>> {
    const command = await this.command(orderId, 'inventory.reserve');
    const expiresAt = new Date(Date.now() + 15 * 60_000).toISOString();
    await this.reply('inventory.reserved', orderId, { orderId, reservationId: randomUUID(), lines: command.payload.lines, expiresAt });
    return command;
  }

  /** Plays payment creating what the order's payment.create asks for; returns the payment.created payload. */
  async createPayment(orderId: string): Promise<PaymentCreatedV1> {
    const command = await this.command(orderId, 'payment.create');
    const paymentId = randomUUID();
    const created = {
      orderId,
      paymentId,
      provider: 'test',
      status: 'requires_payment_method',
      clientSecret: `pi_${paymentId.replace(/-/g, '')}_secret_${randomUUID().slice(0, 8)}`,
      amount: command.payload.amount,
    };
    await this.reply('payment.created', orderId, created);
    return created;
  }

  /** Plays the shopper paying: payment.succeeded for the payment. */
  async succeed(payment: PaymentCreatedV1): Promise<void> {
    await this.reply('payment.succeeded', payment.orderId, { orderId: payment.orderId, paymentId: payment.paymentId, amount: payment.amount });
  }

  /** Plays a whole successful checkout: stock reserved, payment created, paid. */
  async checkout(orderId: string): Promise<PaymentCreatedV1> {
    await this.reserve(orderId);
    const payment = await this.createPayment(orderId);
    await this.succeed(payment);
    return payment;
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Metrics

/** The value of a Prometheus sample whose labels include `labels`, 0 when there is none. */
export async function metricValue(httpPort: number, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...match[2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((label) => [label[1], label[2]]));
    if (Object.entries(labels).every(([label, value]) => found[label] === value)) return Number(match[3]);
  }
  return 0;
}
