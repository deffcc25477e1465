import { status } from '@grpc/grpc-js';
import { createEvent, orderV1 } from '@shop/contracts';
import type { RunningService } from '@shop/service-kit';
import { createTestDatabase, eventually, grpcCode, grpcError, type TestDatabase, testInfra, uniqueName } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { SAGA_CONSUMER } from '../src/saga/checkout-saga';
import { type Catalogue, metricValue, Participants, startCatalogue } from './checkout-participants';
import { type Orders, ordersAt, startOrder } from './order-under-test';

const ADDRESS = { line1: '1 Road', city: 'London', postalCode: 'N1 9GU', country: 'GB' };
const EMPTY_CART = { items: [], total: { amount: 0, currency: '' } };
const eur = (amount: number) => ({ amount, currency: 'EUR' });
const statuses = (order: orderV1.Order) => order.history.map((change) => change.status);

/**
 * The order service alone, on real Postgres and Kafka. Product and inventory (the gRPC methods it
 * calls) answer from maps this test controls; inventory and payment as saga participants are the
 * test too: it reads the commands the service sends and publishes the replies. The whole platform
 * is checked end to end by apps/gateway/test/checkout.e2e-spec.ts.
 */
describe('order service: carts, checkout and the checkout saga, with its participants played by the test', () => {
  // Topics and consumer groups outlive test runs: this run's carry its name.
  const run = uniqueName('ord');
  const prefix = `${run}.`;
  const databases: TestDatabase[] = [];
  const services: RunningService[] = [];
  let service: RunningService;
  let orders: Orders;
  /** A second deployment (own database and consumer groups, same topics) whose checkouts time out after 2 s. */
  let impatient: Orders;
  let catalogue: Catalogue;
  let participants: Participants;
  let db: Client;

  beforeAll(async () => {
    const { kafkaBrokers } = testInfra();
    [catalogue, participants] = await Promise.all([
      startCatalogue(),
      Participants.start({ brokers: kafkaBrokers.split(','), prefix, watch: ['inventory.reserved.dlq'] }),
    ]);
    const [mainDb, impatientDb] = await Promise.all([createTestDatabase('order_it'), createTestDatabase('order_it_timeout')]);
    databases.push(mainDb, impatientDb);
    const start = async (settings: Record<string, string>) => {
      const started = await startOrder({ prefix, catalogue }, { KAFKA_BROKERS: kafkaBrokers, GRPC_DEADLINE_MS: '5000', ...settings });
      services.push(started);
      return started;
    };
    let short: RunningService;
    [service, short] = await Promise.all([
      // Long enough for no checkout of these tests to time out, however slow the machine.
      start({ DATABASE_URL: mainDb.url, CHECKOUT_TIMEOUT_SECONDS: '900' }),
      start({ DATABASE_URL: impatientDb.url, EVENT_GROUP_PREFIX: `${run}-impatient.`, CHECKOUT_TIMEOUT_SECONDS: '2' }),
    ]);
    orders = ordersAt(service);
    impatient = ordersAt(short);
    db = new Client({ connectionString: mainDb.url });
    await db.connect();
  });

  afterAll(async () => {
    orders?.close();
    impatient?.close();
    await db?.end();
    await Promise.all(services.map((started) => started.stop()));
    await participants?.close();
    await catalogue?.stop();
    await Promise.all(databases.map((database) => database.drop()));
  });

  const user = (name: string) => `user-${name}`;

  const place = (userId: string, key: string, address: Partial<orderV1.ShippingAddress> = {}, via = orders) =>
    via.call('placeOrder', { userId, idempotencyKey: key, shippingAddress: { ...ADDRESS, ...address }, email: `${userId}@example.com` });

  const getOrder = (orderId: string, userId = '') => orders.call('getOrder', { orderId, userId });

  const statusOf = (orderId: string, wanted: string[], via = orders, timeoutMs = 60_000) =>
    eventually(
      async () => {
        const order = await via.call('getOrder', { orderId, userId: '' });
        return wanted.includes(order.status) ? order : undefined;
      },
      timeoutMs,
      `order ${orderId} ${wanted.join(' or ')}`,
    );

  /** The commands the service committed for an order (its outbox, published or not), oldest first. */
  const committedCommands = async (orderId: string) =>
    (
      await db.query<{ type: string }>(`SELECT type FROM outbox_events WHERE key = $1 AND topic IN ('inventory.commands', 'payment.commands') ORDER BY seq`, [orderId])
    ).rows.map((row) => row.type);

  const sagaOutcomes = (event: string, outcome: string) => metricValue(service.httpPort, 'shop_order_saga_events_total', { event, outcome });

  /** Waits until the saga has counted one more `event` with `outcome` than `before`: the reply was handled. */
  const handled = (event: string, outcome: string, before: number) =>
    eventually(async () => ((await sagaOutcomes(event, outcome)) > before ? true : undefined), 60_000, `${event} counted as ${outcome}`);

  /** A new shopper's PENDING order of `quantity` units of a SKU of its own. */
  async function placed(name: string, quantity = 1, amount = 1000) {
    const sku = `SKU-${name}`.toUpperCase();
    catalogue.offer(sku, amount, 100);
    const userId = user(name);
    await orders.call('addCartItem', { userId, sku, quantity });
    const order = await place(userId, `${name}-key`);
    return { userId, sku, order };
  }

  /** A new shopper's order, taken to CONFIRMED with the participants answering every command. */
  async function confirmed(name: string) {
    const { userId, order } = await placed(name);
    const payment = await participants.checkout(order.id);
    return { userId, payment, order: await statusOf(order.id, ['CONFIRMED']) };
  }

  it('serves health and metrics', async () => {
    const base = `http://127.0.0.1:${service.httpPort}`;
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { postgres: { status: 'ok' } } });
    await orders.call('getCart', { userId: user('metrics') });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('grpc_server_handled_total{grpc_service="OrderService",grpc_method="getCart",grpc_code="OK"');
    expect(metrics).toContain('shop_order_saga_events_total');
    expect(metrics).toContain('shop_order_checkouts_total');
  });

  it('lists carts with lines nobody touched for a while, for the abandoned-cart reminder', async () => {
    catalogue.offer('MUG-IDLE', 700, 50);
    const [idle, busy, ordered] = [user('idle-cart'), user('busy-cart'), user('ordered-cart')];
    for (const shopper of [idle, busy, ordered]) await orders.call('addCartItem', { userId: shopper, sku: 'MUG-IDLE', quantity: 1 });
    await place(ordered, 'ordered-cart-key');
    const backdate = `now() - interval '2 hours'`;
    await db.query(`UPDATE cart_items SET created_at = ${backdate}, updated_at = ${backdate} WHERE user_id = ANY($1)`, [[idle, busy]]);
    await db.query(`UPDATE carts SET updated_at = ${backdate} WHERE user_id = ANY($1)`, [[idle, busy, ordered]]);
    await orders.call('addCartItem', { userId: busy, sku: 'MUG-IDLE', quantity: 1 });

    const { items } = await orders.call('listAbandonedCarts', { idleSeconds: 3600, afterUserId: '', limit: 100 });
    const mine = items.filter((cart) => [idle, busy, ordered].includes(cart.userId));
    expect(mine).toEqual([{ userId: idle, startedAt: expect.any(String), lastChangedAt: expect.any(String), lines: 1 }]);
    expect(Date.now() - Date.parse(mine[0]!.lastChangedAt)).toBeGreaterThan(3600_000);
    // Pages by user id.
    expect((await orders.call('listAbandonedCarts', { idleSeconds: 3600, afterUserId: idle, limit: 100 })).items.map((cart) => cart.userId)).not.toContain(idle);
    expect(await grpcCode(orders.call('listAbandonedCarts', { idleSeconds: 0, afterUserId: '', limit: 10 }))).toBe(status.INVALID_ARGUMENT);
  });

  it('keeps a cart of SKUs and prices it fresh from product and inventory every time', async () => {
    const shopper = user('cart');
    const offer = catalogue.offer('MUG-CART', 1000, 5, { name: 'Enamel mug' });
    catalogue.offer('MUG-DRAFT', 500, 5, { purchasable: false });
    catalogue.offer('MUG-USD', 700, 5, { price: { amount: 700, currency: 'USD' } });

    expect(await orders.call('getCart', { userId: shopper })).toEqual(EMPTY_CART);
    expect(await grpcCode(orders.call('addCartItem', { userId: shopper, sku: 'NO-SUCH-SKU', quantity: 1 }))).toBe(status.NOT_FOUND);
    expect(await grpcCode(orders.call('addCartItem', { userId: shopper, sku: 'MUG-DRAFT', quantity: 1 }))).toBe(status.FAILED_PRECONDITION);
    expect(await grpcCode(orders.call('addCartItem', { userId: shopper, sku: 'MUG-CART', quantity: 0 }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(orders.call('addCartItem', { userId: shopper, sku: 'MUG-CART', quantity: 101 }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(orders.call('addCartItem', { userId: '', sku: 'MUG-CART', quantity: 1 }))).toBe(status.INVALID_ARGUMENT);

    await orders.call('addCartItem', { userId: shopper, sku: 'MUG-CART', quantity: 2 });
    const cart = await orders.call('addCartItem', { userId: shopper, sku: 'MUG-CART', quantity: 1 });
    expect(cart).toEqual({
      items: [{ id: expect.any(String), sku: 'MUG-CART', productId: offer.productId, name: 'Enamel mug', quantity: 3, unitPrice: eur(1000), lineTotal: eur(3000), available: 5 }],
      total: eur(3000),
    });
    expect(await grpcCode(orders.call('addCartItem', { userId: shopper, sku: 'MUG-CART', quantity: 98 }))).toBe(status.FAILED_PRECONDITION);
    // One currency per cart.
    expect(await grpcCode(orders.call('addCartItem', { userId: shopper, sku: 'MUG-USD', quantity: 1 }))).toBe(status.FAILED_PRECONDITION);

    // Product reprices and inventory sells some: the cart shows both at once.
    catalogue.offer('MUG-CART', 1250, 2, { name: 'Enamel mug' });
    const fresh = await orders.call('getCart', { userId: shopper });
    expect(fresh.items[0]).toMatchObject({ quantity: 3, unitPrice: eur(1250), lineTotal: eur(3750), available: 2 });
    expect(fresh.total).toEqual(eur(3750));

    const itemId = fresh.items[0]!.id;
    expect((await orders.call('updateCartItem', { userId: shopper, itemId, quantity: 4 })).total).toEqual(eur(5000));
    expect(await grpcCode(orders.call('updateCartItem', { userId: shopper, itemId, quantity: 101 }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(orders.call('updateCartItem', { userId: user('someone-else'), itemId, quantity: 1 }))).toBe(status.NOT_FOUND);
    expect(await grpcCode(orders.call('removeCartItem', { userId: user('someone-else'), itemId }))).toBe(status.NOT_FOUND);
    expect(await grpcCode(orders.call('removeCartItem', { userId: shopper, itemId: 'not-an-id' }))).toBe(status.NOT_FOUND);

    // Taken off sale: still in the cart, nothing silently dropped, but 0 available and out of the total.
    catalogue.offer('MUG-CART', 1250, 2, { purchasable: false });
    const unsold = await orders.call('getCart', { userId: shopper });
    expect(unsold.items).toHaveLength(1);
    expect(unsold.items[0]).toMatchObject({ sku: 'MUG-CART', quantity: 4, available: 0 });
    expect(unsold.total!.amount).toBe(0);
    expect(await grpcCode(place(shopper, 'unsold'))).toBe(status.FAILED_PRECONDITION);
    // Gone from the catalogue altogether: the line stays, nameless.
    catalogue.variants.delete('MUG-CART');
    expect((await orders.call('getCart', { userId: shopper })).items[0]).toMatchObject({ sku: 'MUG-CART', name: '', quantity: 4, available: 0 });

    expect(await orders.call('removeCartItem', { userId: shopper, itemId })).toEqual(EMPTY_CART);
  });

  it('places an order once per idempotency key, priced at checkout, and sends one reserve command for it', async () => {
    const shopper = user('idem');
    catalogue.offer('IDEM', 800, 50);
    expect(await grpcCode(place(shopper, ''))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(place(shopper, 'empty-cart'))).toBe(status.FAILED_PRECONDITION);
    expect(await grpcCode(orders.call('placeOrder', { userId: shopper, idempotencyKey: 'k', shippingAddress: undefined, email: 'a@example.com' }))).toBe(
      status.INVALID_ARGUMENT,
    );

    await orders.call('addCartItem', { userId: shopper, sku: 'IDEM', quantity: 2 });
    // The price changes between the cart and the checkout: the order takes today's.
    catalogue.offer('IDEM', 900, 50);
    const first = await place(shopper, 'key-1');
    expect(first).toMatchObject({
      userId: shopper,
      status: 'PENDING',
      items: [{ sku: 'IDEM', quantity: 2, unitPrice: eur(900), lineTotal: eur(1800) }],
      total: eur(1800),
      shippingAddress: ADDRESS,
      history: [{ status: 'PENDING', reason: 'order placed' }],
    });
    // The cart became the order.
    expect((await orders.call('getCart', { userId: shopper })).items).toEqual([]);
    // The same request again (the client did not hear the answer): the same order.
    expect((await place(shopper, 'key-1')).id).toBe(first.id);
    // The same key for another request.
    const reused = await grpcError(place(shopper, 'key-1', { line1: '2 Other Road' }));
    expect(reused).toMatchObject({ code: status.FAILED_PRECONDITION, details: 'idempotency key was used with a different request' });

    // A burst of the same request with a fresh key makes one order.
    await orders.call('addCartItem', { userId: shopper, sku: 'IDEM', quantity: 1 });
    const burst = await Promise.all(Array.from({ length: 8 }, () => place(shopper, 'key-2')));
    expect(new Set(burst.map((order) => order.id)).size).toBe(1);
    const listed = await orders.call('listOrders', { userId: shopper, status: '', page: 1, limit: 10 });
    expect(listed.total).toBe(2);
    // Newest first.
    expect(listed.items.map((order) => order.id)).toEqual([burst[0]!.id, first.id]);

    // However often they were asked for, each order committed one reserve command.
    for (const order of [first, burst[0]!]) {
      await participants.command(order.id, 'inventory.reserve');
      expect(await committedCommands(order.id)).toEqual(['inventory.reserve']);
    }
  });

  it('walks PENDING → reserved → payment created → AWAITING_PAYMENT → paid → CONFIRMED, committing the stock', async () => {
    const shopper = user('happy');
    catalogue.offer('TENT', 2500, 5);
    catalogue.offer('LAMP', 700, 5);
    await orders.call('addCartItem', { userId: shopper, sku: 'TENT', quantity: 2 });
    await orders.call('addCartItem', { userId: shopper, sku: 'LAMP', quantity: 1 });
    const placedOrder = await place(shopper, 'happy');
    const orderId = placedOrder.id;
    expect(placedOrder).toMatchObject({ status: 'PENDING', total: eur(5700) });

    // Inventory is asked to hold every line, keyed by the order.
    const reserve = await participants.command(orderId, 'inventory.reserve');
    expect(reserve).toMatchObject({ aggregateId: orderId, version: 1 });
    expect(reserve.payload).toEqual({ orderId, lines: [{ sku: 'LAMP', quantity: 1 }, { sku: 'TENT', quantity: 2 }] });
    // Nothing is asked of payment before the stock is held.
    expect(participants.commands(orderId, 'payment.commands')).toEqual([]);
    await participants.reply('inventory.reserved', orderId, { orderId, reservationId: randomUUID(), lines: reserve.payload.lines, expiresAt: new Date(Date.now() + 900_000).toISOString() });

    // Reserved: payment is asked for the total, with the shopper's email; the order waits in PENDING.
    const create = await participants.command(orderId, 'payment.create');
    expect(create.payload).toEqual({ orderId, amount: eur(5700), customerEmail: `${shopper}@example.com` });
    expect((await getOrder(orderId)).status).toBe('PENDING');
    const payment = await participants.createPayment(orderId);

    // Created: the order awaits payment, and its owner (only) sees the client secret to pay with.
    const awaiting = await statusOf(orderId, ['AWAITING_PAYMENT']);
    expect(awaiting.payment).toEqual({ paymentId: payment.paymentId, provider: 'test', clientSecret: '', status: 'requires_payment_method' });
    expect((await getOrder(orderId, shopper)).payment).toMatchObject({ paymentId: payment.paymentId, clientSecret: payment.clientSecret });
    expect(payment.clientSecret).toMatch(/_secret_/);
    expect(await grpcCode(getOrder(orderId, user('nosy')))).toBe(status.NOT_FOUND);

    // Paid: CONFIRMED, and inventory is told the held units are sold.
    await participants.succeed(payment);
    const done = await statusOf(orderId, ['CONFIRMED']);
    expect(done.history.map((change) => [change.status, change.reason])).toEqual([
      ['PENDING', 'order placed'],
      ['AWAITING_PAYMENT', 'stock reserved, awaiting payment'],
      ['CONFIRMED', 'payment succeeded'],
    ]);
    expect(done.history.every((change) => !Number.isNaN(Date.parse(change.at)))).toBe(true);
    expect(done.payment).toMatchObject({ paymentId: payment.paymentId, status: 'succeeded' });
    expect((await participants.command(orderId, 'inventory.commit')).payload).toEqual({ orderId });
    expect(participants.commands(orderId, 'inventory.commands')).toEqual(['inventory.reserve', 'inventory.commit']);
    expect(participants.commands(orderId, 'payment.commands')).toEqual(['payment.create']);
    // Every step's events and commands left through the outbox, in the order they were decided.
    const { rows } = await db.query<{ type: string }>('SELECT type FROM outbox_events WHERE key = $1 ORDER BY seq', [orderId]);
    expect(rows.map((row) => row.type)).toEqual([
      'order.created',
      'inventory.reserve',
      'payment.create',
      'order.status_changed',
      'order.status_changed',
      'order.confirmed',
      'inventory.commit',
    ]);
  });

  it('cancels an order inventory cannot stock, and asks nothing more of anyone', async () => {
    const shopper = user('short');
    catalogue.offer('ROPE', 100, 1);
    catalogue.offer('PEGS', 100, 1);
    await orders.call('addCartItem', { userId: shopper, sku: 'ROPE', quantity: 2 });
    await orders.call('addCartItem', { userId: shopper, sku: 'PEGS', quantity: 2 });
    const { id: orderId } = await place(shopper, 'short');
    await participants.command(orderId, 'inventory.reserve');
    await participants.reply('inventory.rejected', orderId, { orderId, shortSkus: ['PEGS', 'ROPE'], reason: 'not enough stock' });

    const cancelled = await statusOf(orderId, ['CANCELLED']);
    expect(cancelled.cancelReason).toBe('out of stock: PEGS, ROPE');
    expect(cancelled.history.map((change) => [change.status, change.reason])).toEqual([
      ['PENDING', 'order placed'],
      ['CANCELLED', 'out of stock: PEGS, ROPE'],
    ]);
    expect(cancelled.payment).toBeUndefined();
    // Nothing was held and no payment exists: no release, no payment command.
    expect(await committedCommands(orderId)).toEqual(['inventory.reserve']);
  });

  it('cancels the order and releases the stock when the payment fails', async () => {
    const { order } = await placed('declined', 3);
    await participants.reserve(order.id);
    const payment = await participants.createPayment(order.id);
    await statusOf(order.id, ['AWAITING_PAYMENT']);
    await participants.reply('payment.failed', order.id, { orderId: order.id, paymentId: payment.paymentId, reason: 'card declined' });

    const cancelled = await statusOf(order.id, ['CANCELLED']);
    expect(cancelled.cancelReason).toBe('payment failed: card declined');
    expect(statuses(cancelled)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CANCELLED']);
    expect(cancelled.payment).toMatchObject({ paymentId: payment.paymentId, status: 'failed' });
    expect((await participants.command(order.id, 'inventory.release')).payload).toEqual({ orderId: order.id, reason: 'payment failed: card declined' });
    // The payment failed: there is nothing to cancel.
    expect(await committedCommands(order.id)).toEqual(['inventory.reserve', 'payment.create', 'inventory.release']);
  });

  it('times a checkout out when nobody answers, releasing the stock and cancelling the payment', async () => {
    const shopper = user('nobody-answers');
    catalogue.offer('SLOW', 300, 3);
    await impatient.call('addCartItem', { userId: shopper, sku: 'SLOW', quantity: 2 });
    const { id: orderId } = await place(shopper, 'slow', {}, impatient);
    // Asked, never answered.
    await participants.command(orderId, 'inventory.reserve');

    const cancelled = await statusOf(orderId, ['CANCELLED'], impatient);
    expect(cancelled.cancelReason).toBe('checkout timed out');
    expect(statuses(cancelled)).toEqual(['PENDING', 'CANCELLED']);
    expect((await participants.command(orderId, 'inventory.release')).payload).toEqual({ orderId, reason: 'checkout timed out' });
    expect((await participants.command(orderId, 'payment.cancel')).payload).toEqual({ orderId, reason: 'checkout timed out' });
    expect(participants.commands(orderId, 'inventory.commands')).toEqual(['inventory.reserve', 'inventory.release']);
    expect(participants.commands(orderId, 'payment.commands')).toEqual(['payment.cancel']);
  });

  it('lets a shopper cancel a confirmed order: stock released, payment cancelled, then refunded', async () => {
    const { userId, order, payment } = await confirmed('regret');
    const orderId = order.id;
    expect(await grpcCode(orders.call('cancelOrder', { orderId, userId: user('stranger'), reason: '' }))).toBe(status.NOT_FOUND);
    const cancelled = await orders.call('cancelOrder', { orderId, userId, reason: 'changed my mind' });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancelReason: 'changed my mind' });
    // Cancelling again changes nothing.
    expect((await orders.call('cancelOrder', { orderId, userId, reason: 'again' })).cancelReason).toBe('changed my mind');
    expect((await participants.command(orderId, 'inventory.release')).payload).toEqual({ orderId, reason: 'changed my mind' });
    expect((await participants.command(orderId, 'payment.cancel')).payload).toEqual({ orderId, reason: 'changed my mind' });
    expect(await committedCommands(orderId)).toEqual(['inventory.reserve', 'payment.create', 'inventory.commit', 'inventory.release', 'payment.cancel']);

    // Payment refunds: a part first (say, in the provider's dashboard), then the rest.
    const refund = (amount: number, total: number, full: boolean) =>
      participants.reply('payment.refunded', orderId, { orderId, paymentId: payment.paymentId, amount: eur(amount), totalRefunded: eur(total), full });
    await refund(400, 400, false);
    await eventually(async () => ((await getOrder(orderId)).payment?.status === 'partially_refunded' ? true : undefined), 60_000, 'partial refund recorded');
    expect((await getOrder(orderId)).status).toBe('CANCELLED');
    await refund(600, 1000, true);
    const refunded = await statusOf(orderId, ['REFUNDED']);
    expect(statuses(refunded)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'CANCELLED', 'REFUNDED']);
    expect(refunded.payment).toMatchObject({ status: 'refunded' });
  });

  it('confirms an order paid before payment.created arrives, passing through AWAITING_PAYMENT', async () => {
    const { order } = await placed('early-bird', 2, 450);
    const orderId = order.id;
    await participants.reserve(orderId);
    const create = await participants.command(orderId, 'payment.create');
    const paymentId = randomUUID();
    // payment.created and payment.succeeded travel on different topics: this one overtook the other.
    await participants.reply('payment.succeeded', orderId, { orderId, paymentId, amount: create.payload.amount });

    const done = await statusOf(orderId, ['CONFIRMED']);
    expect(done.history.map((change) => [change.status, change.reason])).toEqual([
      ['PENDING', 'order placed'],
      ['AWAITING_PAYMENT', 'payment created'],
      ['CONFIRMED', 'payment succeeded'],
    ]);
    expect(done.payment).toMatchObject({ paymentId, status: 'succeeded' });
    await participants.command(orderId, 'inventory.commit');

    // The late payment.created only names the provider: no move, no client secret, no command.
    const applied = await sagaOutcomes('payment.created', 'applied');
    await participants.reply('payment.created', orderId, { orderId, paymentId, provider: 'test', status: 'requires_payment_method', clientSecret: 'pi_late_secret_x', amount: create.payload.amount });
    await handled('payment.created', 'applied', applied);
    const after = await getOrder(orderId);
    expect(after).toMatchObject({ status: 'CONFIRMED', payment: { paymentId, provider: 'test', status: 'succeeded', clientSecret: '' } });
    expect(after.history).toEqual(done.history);
  });

  it('releases stock that inventory reserved after the order was cancelled', async () => {
    const { userId, order } = await placed('too-late');
    const orderId = order.id;
    const reserve = await participants.command(orderId, 'inventory.reserve');
    // The shopper gives up while inventory is still deciding.
    expect((await orders.call('cancelOrder', { orderId, userId, reason: '' })).cancelReason).toBe('cancelled by the customer');
    await participants.command(orderId, 'payment.cancel');
    const [early] = await participants.commandsOf(orderId, 'inventory.release', 1);
    expect(early!.payload.reason).toBe('cancelled by the customer');

    await participants.reply('inventory.reserved', orderId, { orderId, reservationId: randomUUID(), lines: reserve.payload.lines, expiresAt: new Date(Date.now() + 900_000).toISOString() });
    const releases = await participants.commandsOf(orderId, 'inventory.release', 2);
    expect(releases[1]!.payload).toEqual({ orderId, reason: 'order cancelled' });
    const after = await getOrder(orderId);
    expect(statuses(after)).toEqual(['PENDING', 'CANCELLED']);
    // No payment is created for it.
    expect(await committedCommands(orderId)).toEqual(['inventory.reserve', 'inventory.release', 'payment.cancel', 'inventory.release']);
  });

  it('handles a reply delivered twice (same event id) once', async () => {
    const { order } = await placed('twice');
    const orderId = order.id;
    const reserve = await participants.command(orderId, 'inventory.reserve');

    // Handled twice, inventory.reserved would ask payment for two payments.
    const reservedBefore = await sagaOutcomes('inventory.reserved', 'duplicate');
    const reserved = createEvent('inventory.reserved', orderId, { orderId, reservationId: randomUUID(), lines: reserve.payload.lines, expiresAt: new Date(Date.now() + 900_000).toISOString() });
    await participants.send(reserved, 2);
    await handled('inventory.reserved', 'duplicate', reservedBefore);
    const create = await participants.command(orderId, 'payment.create');
    expect(await committedCommands(orderId)).toEqual(['inventory.reserve', 'payment.create']);

    const createdBefore = await sagaOutcomes('payment.created', 'duplicate');
    const paymentId = randomUUID();
    const created = createEvent('payment.created', orderId, { orderId, paymentId, provider: 'test', status: 'requires_payment_method', clientSecret: 'pi_1_secret_1', amount: create.payload.amount });
    await participants.send(created);
    await statusOf(orderId, ['AWAITING_PAYMENT']);
    await participants.send(created);
    await handled('payment.created', 'duplicate', createdBefore);
    expect(statuses(await getOrder(orderId))).toEqual(['PENDING', 'AWAITING_PAYMENT']);

    await participants.send(createEvent('payment.succeeded', orderId, { orderId, paymentId, amount: create.payload.amount }), 2);
    const done = await statusOf(orderId, ['CONFIRMED']);
    expect(statuses(done)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED']);
    await participants.command(orderId, 'inventory.commit');
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox_events WHERE event_id = ANY($1::uuid[])', [[reserved.id, created.id]]);
    expect(rows[0]!.n).toBe(2);
  });

  it('dead-letters a reply that does not fit its schema and leaves the order as it was', async () => {
    const { order } = await placed('garbled');
    const orderId = order.id;
    const reserve = await participants.command(orderId, 'inventory.reserve');
    const envelope = createEvent('inventory.reserved', orderId, { orderId, reservationId: 'r', lines: reserve.payload.lines, expiresAt: '' });
    const garbled = { ...envelope, payload: { orderId, lines: 'all of them' } };
    await participants.publish('inventory.reserved', orderId, JSON.stringify(garbled));

    // The service's saga consumer (not the other deployment's, which reads the same topic) dead-letters it.
    const dead = await eventually(
      async () => participants.on('inventory.reserved.dlq').find((message) => message.event.id === garbled.id && message.headers['x-dead-letter-group'] === `${prefix}${SAGA_CONSUMER}`),
      60_000,
      'the garbled reply on the dead-letter topic',
    );
    expect(dead.key).toBe(orderId);
    expect(dead.event).toEqual(garbled);
    expect(dead.headers['x-dead-letter-reason']).toMatch(/^invalid inventory\.reserved payload: /);
    expect(dead.headers['x-original-topic']).toBe(`${prefix}inventory.reserved`);

    const untouched = await getOrder(orderId);
    expect(untouched).toMatchObject({ status: 'PENDING', updatedAt: order.updatedAt });
    expect(statuses(untouched)).toEqual(['PENDING']);
    expect(await committedCommands(orderId)).toEqual(['inventory.reserve']);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox_events WHERE event_id = $1', [garbled.id]);
    expect(rows[0]!.n).toBe(0);

    // The reply behind it goes through: the poison message blocked nothing.
    await participants.reserve(orderId);
    await participants.command(orderId, 'payment.create');
  });

  it('lets an admin move a confirmed order through fulfilment and refuses illegal moves', async () => {
    const { userId, order, payment } = await confirmed('ship');
    const advance = (to: string) => orders.call('advanceOrder', { orderId: order.id, status: to });
    expect(await grpcCode(advance('SHIPPED'))).toBe(status.FAILED_PRECONDITION);
    expect(await grpcCode(advance('CANCELLED'))).toBe(status.INVALID_ARGUMENT);
    expect((await advance('FULFILLING')).status).toBe('FULFILLING');
    // The same step again changes nothing.
    expect(statuses(await advance('FULFILLING'))).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'FULFILLING']);
    expect((await advance('SHIPPED')).status).toBe('SHIPPED');
    // Shipped: too late for the shopper to cancel.
    expect(await grpcCode(orders.call('cancelOrder', { orderId: order.id, userId, reason: '' }))).toBe(status.FAILED_PRECONDITION);
    const delivered = await advance('DELIVERED');
    expect(statuses(delivered)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'FULFILLING', 'SHIPPED', 'DELIVERED']);
    expect(await grpcCode(advance('FULFILLING'))).toBe(status.FAILED_PRECONDITION);
    expect(await grpcCode(orders.call('advanceOrder', { orderId: randomUUID(), status: 'FULFILLING' }))).toBe(status.NOT_FOUND);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_events WHERE key = $1 AND type = 'order.status_changed'`, [order.id]);
    expect(rows[0]!.n).toBe(5);
    // The moves a shopper is told of go out with who the order belongs to and its total, in the same transactions.
    const told = await db.query<{ type: string; payload: { payload: unknown } }>(
      `SELECT type, payload FROM outbox_events WHERE key = $1 AND type IN ('order.confirmed', 'order.shipped', 'order.delivered') ORDER BY seq`,
      [order.id],
    );
    const owner = { userId, total: order.total };
    expect(told.rows.map((row) => [row.type, row.payload.payload])).toEqual([
      ['order.confirmed', { orderId: order.id, paymentId: order.payment!.paymentId, ...owner, items: [{ productId: 'product-sku-ship', sku: 'SKU-SHIP' }] }],
      ['order.shipped', { orderId: order.id, ...owner }],
      ['order.delivered', { orderId: order.id, ...owner }],
    ]);
    // Fulfilment asks nothing of inventory or payment.
    expect(await committedCommands(order.id)).toEqual(['inventory.reserve', 'payment.create', 'inventory.commit']);
    // Admins list every user's orders by status.
    const deliveredOrders = await orders.call('listOrders', { userId: '', status: 'DELIVERED', page: 1, limit: 100 });
    expect(deliveredOrders.items.map((o) => o.id)).toContain(order.id);
    // Pages are bounded as every list's are: past them is the caller's mistake, not a clamp.
    expect(await grpcCode(orders.call('listOrders', { userId: '', status: 'DELIVERED', page: 1, limit: 500 }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(orders.call('listOrders', { userId: '', status: '', page: 2_000_000, limit: 10 }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(orders.call('listOrders', { userId: '', status: 'LOST', page: 1, limit: 10 }))).toBe(status.INVALID_ARGUMENT);

    // A delivered order sent back and refunded in full.
    await participants.reply('payment.refunded', order.id, { orderId: order.id, paymentId: payment.paymentId, amount: payment.amount, totalRefunded: payment.amount, full: true });
    expect(statuses(await statusOf(order.id, ['REFUNDED']))).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'FULFILLING', 'SHIPPED', 'DELIVERED', 'REFUNDED']);
  });

  it('takes 30 concurrent checkouts to CONFIRMED when the participants answer all of them', async () => {
    catalogue.offer('RUSH', 1999, 1000);
    const shoppers = Array.from({ length: 30 }, (_, i) => user(`rush-${i}`));
    await Promise.all(shoppers.map((userId) => orders.call('addCartItem', { userId, sku: 'RUSH', quantity: 1 })));
    const started = performance.now();
    const placedOrders = await Promise.all(shoppers.map((userId) => place(userId, 'rush')));
    expect(new Set(placedOrders.map((order) => order.id)).size).toBe(30);
    await Promise.all(placedOrders.map((order) => participants.checkout(order.id)));
    const settled = await Promise.all(placedOrders.map((order) => statusOf(order.id, ['CONFIRMED'], orders, 120_000)));
    const elapsed = performance.now() - started;
    expect(settled.every((order) => statuses(order).join() === 'PENDING,AWAITING_PAYMENT,CONFIRMED')).toBe(true);
    await Promise.all(placedOrders.map((order) => participants.command(order.id, 'inventory.commit')));
    const { rows } = await db.query<{ type: string; n: number }>(
      `SELECT type, count(*)::int AS n FROM outbox_events WHERE key = ANY($1) AND topic IN ('inventory.commands', 'payment.commands') GROUP BY type ORDER BY type`,
      [placedOrders.map((order) => order.id)],
    );
    expect(rows).toEqual([
      { type: 'inventory.commit', n: 30 },
      { type: 'inventory.reserve', n: 30 },
      { type: 'payment.create', n: 30 },
    ]);
    process.stdout.write(`[order] 30 concurrent checkouts confirmed in ${Math.round(elapsed)} ms\n`);
  });
});
