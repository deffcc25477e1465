import { createEvent, type EventCatalog, inventoryV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { KafkaEventBus } from '@shop/messaging';
import { createLogger } from '@shop/observability';
import { runService, type RunningService } from '@shop/service-kit';
import { createTestDatabase, eventually, type TestDatabase, testInfra, uniqueName } from '@shop/testing';
import { inventoryConfigSchema } from '../src/config';
import { inventoryService } from '../src/inventory.service-spec';

describe('inventory following order events on Kafka', () => {
  let db: TestDatabase;
  let service: RunningService;
  let inventory: GrpcDownstream<typeof inventoryV1.InventoryServiceService>;
  let bus: KafkaEventBus;
  const run = uniqueName('inv-orders');
  const sku = (name: string) => `${run}-${name}`;
  const order = (name: string) => `${run}-order-${name}`;

  beforeAll(async () => {
    db = await createTestDatabase('inventory_orders_it');
    const { kafkaBrokers } = testInfra();
    const config = inventoryConfigSchema.parse({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: kafkaBrokers,
      EVENT_GROUP_PREFIX: `${run}.`,
      HOST: '127.0.0.1',
      GRPC_PORT: '0',
      HTTP_PORT: '0',
    });
    service = await runService(inventoryService(config));
    inventory = new GrpcDownstream('inventory', inventoryV1.InventoryServiceService, {
      target: `127.0.0.1:${service.grpcPort}`,
      deadlineMs: 10_000,
      breaker: { failureThreshold: 100, openMs: 1000 },
    });
    bus = new KafkaEventBus({ brokers: kafkaBrokers.split(','), clientId: run, logger: createLogger('inventory-orders-it', 'silent') });
  });

  afterAll(async () => {
    inventory?.close();
    await bus?.close();
    await service?.stop();
    await db?.drop();
  });

  async function publish<K extends 'order.created' | 'order.confirmed' | 'order.cancelled'>(type: K, orderId: string, payload: EventCatalog[K], times = 1) {
    const event = createEvent(type, orderId, payload);
    const message = { topic: type, key: orderId, value: JSON.stringify(event), headers: {} };
    await bus.publish(Array.from({ length: times }, () => message));
  }

  const created = (orderId: string, lines: Array<{ sku: string; quantity: number }>) => ({
    orderId,
    userId: 'u',
    lines: lines.map((line) => ({ ...line, unitPrice: { amount: 100, currency: 'EUR' } })),
    total: { amount: 100, currency: 'EUR' },
    email: 'u@example.com',
  });

  const reservation = (orderId: string, status: string) =>
    eventually(
      async () => {
        const found = await inventory.call('getReservation', { orderId }).catch(() => undefined);
        return found?.status === status ? found : undefined;
      },
      30_000,
      `reservation of ${orderId} ${status}`,
    );

  it('reserves on order.created (once, however often delivered), commits on order.confirmed, releases or returns on order.cancelled', async () => {
    const item = sku('a');
    await inventory.call('setStock', { sku: item, onHand: 5, reason: '' });
    // Out of stock first: acknowledged, so the events behind it still flow.
    await publish('order.created', order('short'), created(order('short'), [{ sku: item, quantity: 6 }]));
    await publish('order.created', order('paid'), created(order('paid'), [{ sku: item, quantity: 2 }]), 3);
    await publish('order.created', order('gone'), created(order('gone'), [{ sku: item, quantity: 1 }]));
    // Nothing held for this one: acknowledged.
    await publish('order.cancelled', order('never'), { orderId: order('never'), reason: 'changed my mind' });
    await reservation(order('paid'), 'active');
    await reservation(order('gone'), 'active');
    expect((await inventory.call('getStock', { skus: [item] })).levels[0]).toMatchObject({ onHand: 5, reserved: 3 });

    await publish('order.confirmed', order('paid'), { orderId: order('paid'), paymentId: 'p' });
    await publish('order.cancelled', order('gone'), { orderId: order('gone'), reason: 'payment failed' });
    await reservation(order('paid'), 'committed');
    await reservation(order('gone'), 'released');
    // Cancelled after it was committed (a paid order cancelled before shipment): the units come back.
    await publish('order.cancelled', order('paid'), { orderId: order('paid'), reason: 'late' }, 2);
    await reservation(order('paid'), 'returned');
    await publish('order.created', order('last'), created(order('last'), [{ sku: item, quantity: 3 }]));
    await reservation(order('last'), 'active');
    expect((await inventory.call('getStock', { skus: [item] })).levels[0]).toEqual({ sku: item, onHand: 5, reserved: 3, available: 2 });
  });
});
