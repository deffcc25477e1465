import type { RunningService } from '@shop/service-kit';
import { createTestDatabase, eventually, type TestDatabase, testInfra, uniqueName, UNREACHABLE_ADDRESS } from '@shop/testing';
import { Client } from 'pg';
import { type Catalogue, Participants, startCatalogue } from './checkout-participants';
import { type Orders, ordersAt, startOrder } from './order-under-test';

/**
 * The order service loses Kafka, keeps accepting orders, then stops before any of their messages
 * left its outbox. A new service on the same database, with Kafka back, publishes every one of
 * them, and with inventory and payment (played by the test) answering, every order completes:
 * nothing accepted is lost, nothing is sent twice.
 */
describe('order service: Kafka unreachable, then the service stops between commit and publish', () => {
  const run = uniqueName('outage');
  const prefix = `${run}.`;
  const services: RunningService[] = [];
  const clients: Orders[] = [];
  let database: TestDatabase | undefined;
  let catalogue: Catalogue | undefined;
  let participants: Participants | undefined;
  let pg: Client | undefined;

  afterAll(async () => {
    clients.forEach((client) => client.close());
    await pg?.end();
    await Promise.all(services.map((service) => service.stop()));
    await participants?.close();
    await catalogue?.stop();
    await database?.drop();
  });

  it('accepts orders without Kafka and completes every one of them after a restart with Kafka back', async () => {
    const { kafkaBrokers } = testInfra();
    database = await createTestDatabase('order_outage');
    catalogue = await startCatalogue();
    catalogue.offer('MUG', 900, 10);
    // The participants watch the topics on the real Kafka all along.
    const players = await Participants.start({ brokers: kafkaBrokers.split(','), prefix, watch: ['order.created'] });
    participants = players;
    const start = async (brokers: string) => {
      const service = await startOrder({ prefix, catalogue: catalogue! }, { DATABASE_URL: database!.url, KAFKA_BROKERS: brokers, CHECKOUT_TIMEOUT_SECONDS: '900' });
      services.push(service);
      const orders = ordersAt(service);
      clients.push(orders);
      return { service, orders };
    };

    // Kafka is unreachable for this service: it starts, is ready, and accepts orders into its outbox.
    const cutOff = await start(UNREACHABLE_ADDRESS);
    expect((await fetch(`http://127.0.0.1:${cutOff.service.httpPort}/health/ready`)).status).toBe(200);
    const placed: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const userId = `user-${i}`;
      await cutOff.orders.call('addCartItem', { userId, sku: 'MUG', quantity: 1 });
      const order = await cutOff.orders.call('placeOrder', {
        userId,
        idempotencyKey: `key-${i}`,
        shippingAddress: { line1: '1 Road', city: 'Leeds', postalCode: 'LS1', country: 'GB' },
        email: `${userId}@example.com`,
      });
      expect(order.status).toBe('PENDING');
      placed.push(order.id);
    }
    const db = new Client({ connectionString: database.url });
    pg = db;
    await db.connect();
    const unpublished = async () =>
      (await db.query<{ key: string; type: string; topic: string }>('SELECT key, type, topic FROM outbox_events WHERE published_at IS NULL ORDER BY seq')).rows;
    // Each order and its first command are committed, and none of them went out.
    const pending = placed.flatMap((key) => [
      { key, type: 'order.created', topic: 'order.created' },
      { key, type: 'inventory.reserve', topic: 'inventory.commands' },
    ]);
    expect(await unpublished()).toEqual(pending);

    // The service stops with its messages committed but never published; its process state goes with it.
    await cutOff.service.stop();
    expect(await unpublished()).toEqual(pending);
    expect(await db.query('SELECT 1 FROM outbox_events WHERE published_at IS NOT NULL')).toMatchObject({ rowCount: 0 });

    // A new service on the same database, Kafka back: its relay publishes what the first one left, and the saga runs.
    const restarted = await start(kafkaBrokers);
    await Promise.all(placed.map((orderId) => players.checkout(orderId)));
    for (const [i, orderId] of placed.entries()) {
      const order = await eventually(
        async () => {
          const current = await restarted.orders.call('getOrder', { orderId, userId: `user-${i}` });
          return current.status === 'CONFIRMED' ? current : undefined;
        },
        120_000,
        `order ${orderId} confirmed`,
      );
      expect(order.history.map((change) => change.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED']);
      await players.command(orderId, 'inventory.commit');
    }
    await eventually(async () => ((await unpublished()).length === 0 ? true : undefined), 60_000, 'the outbox published');

    // Nothing lost, nothing duplicated: each order's messages went out once each, in order.
    for (const orderId of placed) {
      expect(players.on('order.created').filter((message) => message.key === orderId)).toHaveLength(1);
      expect(players.commands(orderId, 'inventory.commands')).toEqual(['inventory.reserve', 'inventory.commit']);
      expect(players.commands(orderId, 'payment.commands')).toEqual(['payment.create']);
    }
  });
});
