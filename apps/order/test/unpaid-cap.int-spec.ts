import { status } from '@grpc/grpc-js';
import type { RunningService } from '@shop/service-kit';
import { createTestDatabase, eventually, grpcError, type TestDatabase, testInfra, uniqueName } from '@shop/testing';
import { Client } from 'pg';
import { type Catalogue, metricValue, Participants, startCatalogue } from './checkout-participants';
import { type Orders, ordersAt, startOrder } from './order-under-test';

const ADDRESS = { line1: '1 Road', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

/**
 * The order service caps what one shopper holds in unpaid orders (here 2 orders, 5 units of a SKU):
 * each keeps stock reserved until paid or timed out, so without the cap one account could hold a
 * product's whole stock without paying. Product and inventory answer from maps; the saga's
 * participants are played by the test where an order must be paid.
 */
describe('order service: the cap on what one shopper holds unpaid', () => {
  const run = uniqueName('cap');
  const prefix = `${run}.`;
  let database: TestDatabase;
  let service: RunningService;
  let orders: Orders;
  let catalogue: Catalogue;
  let participants: Participants;
  let db: Client;

  beforeAll(async () => {
    const { kafkaBrokers } = testInfra();
    [catalogue, participants, database] = await Promise.all([
      startCatalogue(),
      Participants.start({ brokers: kafkaBrokers.split(','), prefix }),
      createTestDatabase('order_cap'),
    ]);
    service = await startOrder(
      { prefix, catalogue },
      { KAFKA_BROKERS: kafkaBrokers, DATABASE_URL: database.url, GRPC_DEADLINE_MS: '5000', MAX_UNPAID_ORDERS: '2', MAX_UNPAID_UNITS_PER_SKU: '5' },
    );
    orders = ordersAt(service);
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    orders?.close();
    await db?.end();
    await service?.stop();
    await participants?.close();
    await catalogue?.stop();
    await database?.drop();
  });

  const add = (userId: string, sku: string, quantity: number) => orders.call('addCartItem', { userId, sku, quantity });
  const place = (userId: string, key: string) =>
    orders.call('placeOrder', { userId, idempotencyKey: key, shippingAddress: ADDRESS, email: `${userId}@example.com` });
  const unpaidOrders = async (userId: string) =>
    (await db.query(`SELECT count(*)::int AS n FROM orders WHERE user_id = $1 AND status IN ('PENDING', 'AWAITING_PAYMENT')`, [userId])).rows[0].n as number;

  it('refuses units of a SKU past the cap across unpaid orders, keeping the cart and the key for later', async () => {
    const shopper = `user-${run}-hoarder`;
    catalogue.offer('HOARD', 1000, 300);
    await add(shopper, 'HOARD', 3);
    await place(shopper, 'round-1');
    await add(shopper, 'HOARD', 3);
    const refused = await grpcError(place(shopper, 'round-2'));
    expect(refused.code).toBe(status.FAILED_PRECONDITION);
    expect(refused.details).toBe('at most 5 units of HOARD in unpaid orders at a time (3 held, 3 ordered): pay for or cancel an order first');
    // Nothing was written: the cart is as it was and the key was not spent.
    expect((await orders.call('getCart', { userId: shopper })).items).toMatchObject([{ sku: 'HOARD', quantity: 3 }]);
    expect(await unpaidOrders(shopper)).toBe(1);
    expect(await metricValue(service.httpPort, 'shop_order_checkouts_total', { outcome: 'unpaid_cap' })).toBeGreaterThanOrEqual(1);

    // Two fit beside the three held; the same key now places the order.
    const cart = await orders.call('getCart', { userId: shopper });
    await orders.call('updateCartItem', { userId: shopper, itemId: cart.items[0]!.id, quantity: 2 });
    await expect(place(shopper, 'round-2')).resolves.toMatchObject({ status: 'PENDING', items: [{ sku: 'HOARD', quantity: 2 }] });
  });

  it('refuses one unpaid order more than the cap, until one of them is paid or cancelled', async () => {
    const shopper = `user-${run}-busy`;
    for (const sku of ['BUSY-A', 'BUSY-B', 'BUSY-C', 'BUSY-D']) catalogue.offer(sku, 500, 100);
    await add(shopper, 'BUSY-A', 1);
    const first = await place(shopper, 'a');
    await add(shopper, 'BUSY-B', 1);
    const second = await place(shopper, 'b');
    await add(shopper, 'BUSY-C', 1);
    const refused = await grpcError(place(shopper, 'c'));
    expect(refused.code).toBe(status.FAILED_PRECONDITION);
    expect(refused.details).toBe('at most 2 unpaid orders at a time: pay for or cancel one first');

    // Paid: the order no longer counts.
    await participants.checkout(first.id);
    await eventually(async () => ((await orders.call('getOrder', { orderId: first.id, userId: '' })).status === 'CONFIRMED' ? true : undefined), 60_000, 'paid');
    const third = await place(shopper, 'c');
    expect(third.status).toBe('PENDING');

    // Cancelled: nor does this one.
    await add(shopper, 'BUSY-D', 1);
    expect((await grpcError(place(shopper, 'd'))).code).toBe(status.FAILED_PRECONDITION);
    await orders.call('cancelOrder', { orderId: second.id, userId: shopper, reason: '' });
    await expect(place(shopper, 'd')).resolves.toMatchObject({ status: 'PENDING' });
  });

  it('lets no burst of concurrent checkouts by one shopper take them past the cap', async () => {
    const shopper = `user-${run}-burst`;
    catalogue.offer('BURST', 100, 100);
    catalogue.offer('BURST-FIRST', 100, 100);
    await add(shopper, 'BURST-FIRST', 1);
    await place(shopper, 'first');
    // One slot left, and a cart any of ten checkouts with their own keys could take.
    await add(shopper, 'BURST', 1);
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => place(shopper, `burst-${i}`)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(await unpaidOrders(shopper)).toBe(2);
    // The rest were told the cart changed under them, or the cap, never anything worse.
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect([status.ABORTED, status.FAILED_PRECONDITION]).toContain((outcome.reason as { code: number }).code);
    }
    await add(shopper, 'BURST', 1);
    const capped = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => place(shopper, `capped-${i}`)));
    expect(capped.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(await unpaidOrders(shopper)).toBe(2);
  });
});
