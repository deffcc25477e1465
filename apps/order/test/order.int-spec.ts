import { status } from '@grpc/grpc-js';
import { inventoryV1, orderV1, paymentV1, productV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { runService, type RunningService } from '@shop/service-kit';
import { createTestDatabase, eventually, grpcCode, grpcError, type TestDatabase, testInfra, uniqueName, UNREACHABLE_ADDRESS } from '@shop/testing';
import { Client } from 'pg';
import { inventoryConfigSchema } from '../../inventory/src/config';
import { inventoryService } from '../../inventory/src/inventory.service-spec';
import { paymentConfigSchema } from '../../payment/src/config';
import { paymentService } from '../../payment/src/payment.service-spec';
import { productConfigSchema } from '../../product/src/config';
import { productService } from '../../product/src/product.service-spec';
import { orderConfigSchema } from '../src/config';
import { orderService } from '../src/order.service-spec';

type Orders = GrpcDownstream<typeof orderV1.OrderServiceService>;
type Products = GrpcDownstream<typeof productV1.ProductServiceService>;
type Inventory = GrpcDownstream<typeof inventoryV1.InventoryServiceService>;
type Payments = GrpcDownstream<typeof paymentV1.PaymentServiceService>;

/** A port nothing listens on: bound, read, closed. */
const ADDRESS = { line1: '1 Road', city: 'London', postalCode: 'N1 9GU', country: 'GB' };
const at = (port: number) => ({ target: `127.0.0.1:${port}`, deadlineMs: 30_000, breaker: { failureThreshold: 1000, openMs: 1000 } });

describe('order service and the checkout saga, with product, inventory and payment, against real Postgres and Kafka', () => {
  const databases: TestDatabase[] = [];
  const services: RunningService[] = [];
  let orders: Orders;
  let ordersWithoutPayment: Orders;
  let products: Products;
  let inventory: Inventory;
  let payments: Payments;
  let orderDb: Client;
  // Topics outlive test runs: SKUs, users and consumer groups of this run carry its name.
  const run = uniqueName('ord');
  const user = (name: string) => `${run}-user-${name}`;

  beforeAll(async () => {
    const { kafkaBrokers } = testInfra();
    const [productDb, inventoryDb, paymentDb, orderDbInfo, downDb] = await Promise.all(
      ['order_it_product', 'order_it_inventory', 'order_it_payment', 'order_it_order', 'order_it_down'].map((name) => createTestDatabase(name)),
    );
    databases.push(productDb!, inventoryDb!, paymentDb!, orderDbInfo!, downDb!);
    const common = { NODE_ENV: 'test', LOG_LEVEL: 'silent', KAFKA_BROKERS: kafkaBrokers, EVENT_GROUP_PREFIX: `${run}.`, EVENT_TOPIC_PREFIX: `${run}.`, HOST: '127.0.0.1', GRPC_PORT: '0', HTTP_PORT: '0' };
    const [product, stock, payment] = await Promise.all([
      // No Elasticsearch and no Redis: Postgres search and the in-memory cache.
      runService(productService(productConfigSchema.parse({ ...common, DATABASE_URL: productDb!.url }))),
      runService(inventoryService(inventoryConfigSchema.parse({ ...common, DATABASE_URL: inventoryDb!.url, SWEEP_INTERVAL_MS: '200' }))),
      // No STRIPE_SECRET_KEY: the test provider, whose CompleteTestPayment plays the shopper.
      runService(paymentService(paymentConfigSchema.parse({ ...common, DATABASE_URL: paymentDb!.url }))),
    ]);
    services.push(product, stock, payment);
    const downstreams = {
      PRODUCT_GRPC_URL: `127.0.0.1:${product.grpcPort}`,
      INVENTORY_GRPC_URL: `127.0.0.1:${stock.grpcPort}`,
      GRPC_DEADLINE_MS: '5000',
      SWEEP_INTERVAL_MS: '200',
    };
    const order = await runService(
      orderService(
        orderConfigSchema.parse({ ...common, ...downstreams, DATABASE_URL: orderDbInfo!.url, PAYMENT_GRPC_URL: `127.0.0.1:${payment.grpcPort}`, CHECKOUT_TIMEOUT_SECONDS: '60' }),
      ),
    );
    // A second deployment whose payment service is down, with a short checkout timeout. It has its
    // own database and consumer groups; each deployment ignores the other's orders on the shared topics.
    const down = await runService(
      orderService(
        orderConfigSchema.parse({
          ...common,
          ...downstreams,
          EVENT_GROUP_PREFIX: `${run}-down.`,
          DATABASE_URL: downDb!.url,
          PAYMENT_GRPC_URL: UNREACHABLE_ADDRESS,
          // Long enough for the reservation to be seen before the timeout undoes it, even under load.
          CHECKOUT_TIMEOUT_SECONDS: '10',
        }),
      ),
    );
    services.push(order, down);
    orders = new GrpcDownstream('order', orderV1.OrderServiceService, at(order.grpcPort));
    ordersWithoutPayment = new GrpcDownstream('order', orderV1.OrderServiceService, at(down.grpcPort));
    products = new GrpcDownstream('product', productV1.ProductServiceService, at(product.grpcPort));
    inventory = new GrpcDownstream('inventory', inventoryV1.InventoryServiceService, at(stock.grpcPort));
    payments = new GrpcDownstream('payment', paymentV1.PaymentServiceService, at(payment.grpcPort));
    orderDb = new Client({ connectionString: orderDbInfo!.url });
    await orderDb.connect();
  });

  afterAll(async () => {
    [orders, ordersWithoutPayment, products, inventory, payments].forEach((c) => c?.close());
    await orderDb?.end();
    await Promise.all(services.map((service) => service.stop()));
    await Promise.all(databases.map((db) => db.drop()));
  });

  /** A published product with one variant at `amount` minor units and `onHand` units in stock. */
  async function stocked(name: string, amount: number, onHand: number, overrides: Partial<productV1.ProductInput> = {}, currency = 'EUR') {
    const sku = `${run}-${name}`.toUpperCase();
    const product = await products.call('createProduct', {
      product: {
        name: `Product ${name}`,
        description: 'For the checkout tests.',
        brand: 'Test',
        categoryIds: [],
        attributes: {},
        images: [],
        status: 'published',
        variants: [{ sku, price: { amount, currency }, attributes: {} }],
        ...overrides,
      },
    });
    await inventory.call('setStock', { sku, onHand, reason: 'delivery' });
    return { sku, product };
  }

  const stockOf = async (sku: string) => (await inventory.call('getStock', { skus: [sku] })).levels[0]!;

  const place = (service: Orders, userId: string, key: string, address: Partial<orderV1.ShippingAddress> = {}) =>
    service.call('placeOrder', { userId, idempotencyKey: key, shippingAddress: { ...ADDRESS, ...address }, email: `${userId}@example.com` });

  const statusOf = (service: Orders, orderId: string, wanted: string[], timeoutMs = 30_000) =>
    eventually(
      async () => {
        const order = await service.call('getOrder', { orderId, userId: '' });
        return wanted.includes(order.status) ? order : undefined;
      },
      timeoutMs,
      `order ${orderId} ${wanted.join(' or ')}`,
    );

  /** Places a one-line order for a new user and takes it to CONFIRMED, as the shopper paying would. */
  async function confirmedOrder(name: string, sku: string, quantity = 1) {
    const userId = user(name);
    await orders.call('addCartItem', { userId, sku, quantity });
    const placed = await place(orders, userId, `${name}-key`);
    const awaiting = await statusOf(orders, placed.id, ['AWAITING_PAYMENT']);
    await payments.call('completeTestPayment', { paymentId: awaiting.payment!.paymentId, outcome: 'succeeded' });
    return { userId, order: await statusOf(orders, placed.id, ['CONFIRMED']) };
  }

  it('serves health and metrics', async () => {
    const order = services[3]!;
    const ready = await fetch(`http://127.0.0.1:${order.httpPort}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { postgres: { status: 'ok' } } });
    expect(await (await fetch(`http://127.0.0.1:${order.httpPort}/metrics`)).text()).toContain('grpc_server_handled_total');
  });

  it('keeps a cart of SKUs and prices it fresh from the catalogue and inventory every time', async () => {
    const shopper = user('cart');
    const { sku, product } = await stocked('cart', 1000, 5);
    const draft = await stocked('cart-draft', 500, 5, { status: 'draft' });
    const dollars = await stocked('cart-usd', 700, 5, {}, 'USD');

    expect(await orders.call('getCart', { userId: shopper })).toEqual({ items: [], total: { amount: 0, currency: '' } });
    expect(await grpcCode(orders.call('addCartItem', { userId: shopper, sku: `${run}-NO-SUCH-SKU`, quantity: 1 }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(orders.call('addCartItem', { userId: shopper, sku: draft.sku, quantity: 1 }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(orders.call('addCartItem', { userId: shopper, sku, quantity: 0 }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(orders.call('addCartItem', { userId: shopper, sku, quantity: 101 }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(orders.call('addCartItem', { userId: '', sku, quantity: 1 }))).toBe(status.INVALID_ARGUMENT);

    await orders.call('addCartItem', { userId: shopper, sku, quantity: 2 });
    const cart = await orders.call('addCartItem', { userId: shopper, sku, quantity: 1 });
    expect(cart.items).toEqual([
      {
        id: expect.any(String),
        sku,
        productId: product.id,
        name: 'Product cart',
        quantity: 3,
        unitPrice: { amount: 1000, currency: 'EUR' },
        lineTotal: { amount: 3000, currency: 'EUR' },
        available: 5,
      },
    ]);
    expect(cart.total).toEqual({ amount: 3000, currency: 'EUR' });
    expect(await grpcCode(orders.call('addCartItem', { userId: shopper, sku, quantity: 98 }))).toBe(status.INVALID_ARGUMENT);
    // One currency per cart.
    expect(await grpcCode(orders.call('addCartItem', { userId: shopper, sku: dollars.sku, quantity: 1 }))).toBe(status.FAILED_PRECONDITION);

    // The price changes in the catalogue: the cart shows the new one.
    const repriced = await products.call('updateProduct', {
      id: product.id,
      version: product.version,
      variants: { items: [{ sku, price: { amount: 1250, currency: 'EUR' }, attributes: {} }] },
    });
    const fresh = await orders.call('getCart', { userId: shopper });
    expect(fresh.items[0]).toMatchObject({ quantity: 3, unitPrice: { amount: 1250, currency: 'EUR' }, lineTotal: { amount: 3750, currency: 'EUR' } });
    expect(fresh.total).toEqual({ amount: 3750, currency: 'EUR' });

    const itemId = fresh.items[0]!.id;
    expect((await orders.call('updateCartItem', { userId: shopper, itemId, quantity: 4 })).total).toEqual({ amount: 5000, currency: 'EUR' });
    expect(await grpcCode(orders.call('updateCartItem', { userId: shopper, itemId, quantity: 101 }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(orders.call('updateCartItem', { userId: user('someone-else'), itemId, quantity: 1 }))).toBe(status.NOT_FOUND);
    expect(await grpcCode(orders.call('removeCartItem', { userId: user('someone-else'), itemId }))).toBe(status.NOT_FOUND);
    expect(await grpcCode(orders.call('removeCartItem', { userId: shopper, itemId: 'not-an-id' }))).toBe(status.NOT_FOUND);

    // Taken off sale: still in the cart, nothing silently dropped, but 0 available and out of the total.
    await products.call('updateProduct', { id: product.id, version: repriced.version, status: 'draft' });
    const unsold = await orders.call('getCart', { userId: shopper });
    expect(unsold.items).toHaveLength(1);
    expect(unsold.items[0]).toMatchObject({ sku, quantity: 4, available: 0 });
    expect(unsold.total!.amount).toBe(0);
    expect(await grpcCode(place(orders, shopper, 'unsold'))).toBe(status.FAILED_PRECONDITION);

    expect(await orders.call('removeCartItem', { userId: shopper, itemId })).toEqual({ items: [], total: { amount: 0, currency: '' } });
  });

  it('places an order once per idempotency key', async () => {
    const shopper = user('idem');
    const { sku } = await stocked('idem', 900, 50);
    expect(await grpcCode(place(orders, shopper, ''))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(place(orders, shopper, 'empty-cart'))).toBe(status.FAILED_PRECONDITION);
    expect(await grpcCode(orders.call('placeOrder', { userId: shopper, idempotencyKey: 'k', shippingAddress: undefined, email: 'a@example.com' }))).toBe(
      status.INVALID_ARGUMENT,
    );

    await orders.call('addCartItem', { userId: shopper, sku, quantity: 2 });
    const first = await place(orders, shopper, 'key-1');
    expect(first).toMatchObject({
      userId: shopper,
      status: 'PENDING',
      items: [{ sku, quantity: 2, unitPrice: { amount: 900, currency: 'EUR' }, lineTotal: { amount: 1800, currency: 'EUR' } }],
      total: { amount: 1800, currency: 'EUR' },
      shippingAddress: ADDRESS,
      history: [{ status: 'PENDING', reason: 'order placed' }],
    });
    // The cart became the order.
    expect((await orders.call('getCart', { userId: shopper })).items).toEqual([]);
    // The same request again (the client did not hear the answer): the same order.
    expect((await place(orders, shopper, 'key-1')).id).toBe(first.id);
    // The same key for another request.
    const reused = await grpcError(place(orders, shopper, 'key-1', { line1: '2 Other Road' }));
    expect(reused).toMatchObject({ code: status.FAILED_PRECONDITION, details: 'idempotency key was used with a different request' });

    // A burst of the same request with a fresh key makes one order.
    await orders.call('addCartItem', { userId: shopper, sku, quantity: 1 });
    const burst = await Promise.all(Array.from({ length: 8 }, () => place(orders, shopper, 'key-2')));
    expect(new Set(burst.map((order) => order.id)).size).toBe(1);
    const listed = await orders.call('listOrders', { userId: shopper, status: '', page: 1, limit: 10 });
    expect(listed.total).toBe(2);
    // Newest first.
    expect(listed.items.map((order) => order.id)).toEqual([burst[0]!.id, first.id]);
  });

  it('takes an order to CONFIRMED when stock is reserved and the payment succeeds, committing the stock', async () => {
    const { sku } = await stocked('happy', 2500, 5);
    const shopper = user('happy');
    await orders.call('addCartItem', { userId: shopper, sku, quantity: 2 });
    const placed = await place(orders, shopper, 'happy');
    const awaiting = await statusOf(orders, placed.id, ['AWAITING_PAYMENT']);
    expect(await stockOf(sku)).toMatchObject({ onHand: 5, reserved: 2 });
    // The owner sees the client secret to pay with; an admin does not.
    const mine = await orders.call('getOrder', { orderId: placed.id, userId: shopper });
    expect(mine.payment).toMatchObject({ paymentId: awaiting.payment!.paymentId, provider: 'test', clientSecret: expect.stringMatching(/_secret_/) });
    expect(awaiting.payment!.clientSecret).toBe('');
    expect(await grpcCode(orders.call('getOrder', { orderId: placed.id, userId: user('nosy') }))).toBe(status.NOT_FOUND);
    const payment = await payments.call('getPayment', { paymentId: '', orderId: placed.id });
    expect(payment).toMatchObject({ id: awaiting.payment!.paymentId, amount: { amount: 5000, currency: 'EUR' } });

    await payments.call('completeTestPayment', { paymentId: payment.id, outcome: 'succeeded' });
    const confirmed = await statusOf(orders, placed.id, ['CONFIRMED']);
    expect(confirmed.history.map((change) => change.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED']);
    expect(confirmed.history.every((change) => !Number.isNaN(Date.parse(change.at)))).toBe(true);
    expect(confirmed.payment).toMatchObject({ status: 'succeeded' });
    // order.confirmed made inventory commit: the units left on hand.
    await eventually(async () => ((await stockOf(sku)).onHand === 3 ? true : undefined), 30_000, 'reservation committed');
    expect(await stockOf(sku)).toEqual({ sku, onHand: 3, reserved: 0, available: 3 });
    expect((await inventory.call('getReservation', { orderId: placed.id })).status).toBe('committed');
  });

  it('cancels an order that cannot be stocked, reserving nothing', async () => {
    const { sku } = await stocked('short', 100, 1);
    const shopper = user('short');
    await orders.call('addCartItem', { userId: shopper, sku, quantity: 2 });
    const placed = await place(orders, shopper, 'short');
    const cancelled = await statusOf(orders, placed.id, ['CANCELLED']);
    expect(cancelled.cancelReason).toBe(`out of stock: ${sku}`);
    expect(cancelled.history.map((change) => [change.status, change.reason])).toEqual([
      ['PENDING', 'order placed'],
      ['CANCELLED', `out of stock: ${sku}`],
    ]);
    expect(cancelled.payment).toBeUndefined();
    expect(await stockOf(sku)).toEqual({ sku, onHand: 1, reserved: 0, available: 1 });
    expect(await grpcCode(inventory.call('getReservation', { orderId: placed.id }))).toBe(status.NOT_FOUND);
  });

  it('cancels the order and releases the stock when the payment fails', async () => {
    const { sku } = await stocked('declined', 100, 4);
    const shopper = user('declined');
    await orders.call('addCartItem', { userId: shopper, sku, quantity: 3 });
    const placed = await place(orders, shopper, 'declined');
    const awaiting = await statusOf(orders, placed.id, ['AWAITING_PAYMENT']);
    expect(await stockOf(sku)).toMatchObject({ reserved: 3 });
    await payments.call('completeTestPayment', { paymentId: awaiting.payment!.paymentId, outcome: 'failed' });
    const cancelled = await statusOf(orders, placed.id, ['CANCELLED']);
    expect(cancelled.cancelReason).toMatch(/^payment failed: /);
    expect(cancelled.history.map((change) => change.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CANCELLED']);
    await eventually(async () => ((await stockOf(sku)).reserved === 0 ? true : undefined), 30_000, 'stock released');
    expect(await stockOf(sku)).toEqual({ sku, onHand: 4, reserved: 0, available: 4 });
    expect((await inventory.call('getReservation', { orderId: placed.id })).status).toBe('released');
  });

  it('times a checkout out when the payment service is down, releasing the stock', async () => {
    const { sku } = await stocked('nopay', 100, 3);
    const shopper = user('nopay');
    await ordersWithoutPayment.call('addCartItem', { userId: shopper, sku, quantity: 2 });
    const placed = await place(ordersWithoutPayment, shopper, 'nopay');
    await eventually(async () => ((await stockOf(sku)).reserved === 2 ? true : undefined), 30_000, 'stock reserved');
    const cancelled = await statusOf(ordersWithoutPayment, placed.id, ['CANCELLED'], 60_000);
    expect(cancelled.cancelReason).toBe('checkout timed out');
    expect(cancelled.history.map((change) => change.status)).toEqual(['PENDING', 'CANCELLED']);
    await eventually(async () => ((await stockOf(sku)).reserved === 0 ? true : undefined), 30_000, 'stock released');
    expect(await stockOf(sku)).toEqual({ sku, onHand: 3, reserved: 0, available: 3 });
  });

  it('lets a shopper cancel a confirmed order, which the payment service then refunds', async () => {
    const { sku } = await stocked('regret', 4200, 3);
    const { userId, order } = await confirmedOrder('regret', sku);
    expect(await grpcCode(orders.call('cancelOrder', { orderId: order.id, userId: user('stranger'), reason: '' }))).toBe(status.NOT_FOUND);
    const cancelled = await orders.call('cancelOrder', { orderId: order.id, userId, reason: 'changed my mind' });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancelReason: 'changed my mind' });
    // Cancelling again changes nothing.
    expect((await orders.call('cancelOrder', { orderId: order.id, userId, reason: 'again' })).cancelReason).toBe('changed my mind');
    const refunded = await statusOf(orders, order.id, ['REFUNDED']);
    expect(refunded.history.map((change) => change.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'CANCELLED', 'REFUNDED']);
    expect(refunded.payment).toMatchObject({ status: 'refunded' });
    expect(await payments.call('getPayment', { paymentId: order.payment!.paymentId, orderId: '' })).toMatchObject({ status: 'refunded' });
  });

  it('lets an admin move a confirmed order through fulfilment and refuses illegal moves', async () => {
    const { sku } = await stocked('ship', 100, 3);
    const { userId, order } = await confirmedOrder('ship', sku);
    const advance = (to: string) => orders.call('advanceOrder', { orderId: order.id, status: to });
    expect(await grpcCode(advance('SHIPPED'))).toBe(status.FAILED_PRECONDITION);
    expect(await grpcCode(advance('CANCELLED'))).toBe(status.INVALID_ARGUMENT);
    expect((await advance('FULFILLING')).status).toBe('FULFILLING');
    expect((await advance('SHIPPED')).status).toBe('SHIPPED');
    // Shipped: too late for the shopper to cancel.
    expect(await grpcCode(orders.call('cancelOrder', { orderId: order.id, userId, reason: '' }))).toBe(status.FAILED_PRECONDITION);
    const delivered = await advance('DELIVERED');
    expect(delivered.history.map((change) => change.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'FULFILLING', 'SHIPPED', 'DELIVERED']);
    expect(await grpcCode(advance('FULFILLING'))).toBe(status.FAILED_PRECONDITION);
    expect(await grpcCode(orders.call('advanceOrder', { orderId: '00000000-0000-4000-8000-000000000000', status: 'FULFILLING' }))).toBe(status.NOT_FOUND);
    const { rows } = await orderDb.query(`SELECT count(*)::int AS n FROM outbox_events WHERE key = $1 AND type = 'order.status_changed'`, [order.id]);
    expect(rows[0].n).toBe(5);
    // Admins list every user's orders by status.
    const deliveredOrders = await orders.call('listOrders', { userId: '', status: 'DELIVERED', page: 1, limit: 500 });
    expect(deliveredOrders.limit).toBe(100);
    expect(deliveredOrders.items.map((o) => o.id)).toContain(order.id);
    expect(await grpcCode(orders.call('listOrders', { userId: '', status: 'LOST', page: 1, limit: 10 }))).toBe(status.INVALID_ARGUMENT);
  });

  it('confirms exactly as many of 30 concurrent checkouts as there are units, and cancels the rest', async () => {
    const { sku } = await stocked('rush', 1999, 10);
    const shoppers = Array.from({ length: 30 }, (_, i) => user(`rush-${i}`));
    await Promise.all(shoppers.map((userId) => orders.call('addCartItem', { userId, sku, quantity: 1 })));
    const started = performance.now();
    const placed = await Promise.all(shoppers.map((userId) => place(orders, userId, 'rush')));
    // Each shopper pays as soon as their order awaits payment.
    const settled = await Promise.all(
      placed.map(async (order) => {
        const next = await statusOf(orders, order.id, ['AWAITING_PAYMENT', 'CANCELLED'], 60_000);
        if (next.status === 'CANCELLED') return next;
        await payments.call('completeTestPayment', { paymentId: next.payment!.paymentId, outcome: 'succeeded' });
        return statusOf(orders, order.id, ['CONFIRMED'], 60_000);
      }),
    );
    const elapsed = performance.now() - started;
    const tally = settled.reduce<Record<string, number>>((counts, order) => ({ ...counts, [order.status]: (counts[order.status] ?? 0) + 1 }), {});
    expect(tally).toEqual({ CONFIRMED: 10, CANCELLED: 20 });
    expect(settled.filter((order) => order.status === 'CANCELLED').every((order) => order.cancelReason === `out of stock: ${sku}`)).toBe(true);
    await eventually(async () => ((await stockOf(sku)).onHand === 0 ? true : undefined), 30_000, 'all ten reservations committed');
    expect(await stockOf(sku)).toEqual({ sku, onHand: 0, reserved: 0, available: 0 });
    // Replaying the ledger oldest first: available stock never went below zero.
    const { items: movements } = await inventory.call('listMovements', { sku, page: 1, limit: 100 });
    let onHand = 0;
    let reserved = 0;
    for (const movement of [...movements].reverse()) {
      onHand += movement.onHandDelta;
      reserved += movement.reservedDelta;
      expect(onHand - reserved).toBeGreaterThanOrEqual(0);
    }
    expect(movements.filter((movement) => movement.kind === 'reserve')).toHaveLength(10);
    process.stdout.write(`[order] 30 concurrent checkouts for 10 units: ${tally.CONFIRMED} confirmed, ${tally.CANCELLED} cancelled in ${Math.round(elapsed)} ms\n`);
  });
});
