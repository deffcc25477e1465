import { eventually, uniqueName, UNREACHABLE_ADDRESS } from '@shop/testing';
import { Client } from 'pg';
import { type Api, type Harness, startHarness } from './platform-harness';

// Checkout steps cross several processes; 30 s is a generous bound for any of them.
const until = <T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, what?: string) => eventually(probe, timeoutMs, what);

const ADDRESS = { line1: '1 Market Street', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' };

interface Shopper {
  token: string;
  call: Api;
}

async function setUp(harness: Harness, run: string, stock: Record<string, number>) {
  const admin = harness.api('198.51.100.50');
  const adminToken = (await admin('POST', '/api/v1/auth/login', { body: { email: harness.platform.adminEmail, password: harness.platform.adminPassword } })).body.accessToken as string;
  const category = await admin('POST', '/api/v1/admin/categories', { token: adminToken, body: { name: `Checkout ${run}` } });
  const skus = Object.keys(stock);
  const product = await admin('POST', '/api/v1/admin/products', {
    token: adminToken,
    body: {
      name: 'Enamel Camping Mug',
      description: 'Holds tea.',
      brand: 'Fieldware',
      categoryIds: [category.body.id],
      status: 'published',
      variants: skus.map((sku, i) => ({ sku, price: { amount: 1250 + i * 100, currency: 'EUR' }, attributes: { colour: ['green', 'blue', 'red'][i] ?? 'white' } })),
    },
  });
  expect(product.status).toBe(201);
  for (const [sku, onHand] of Object.entries(stock)) {
    expect((await admin('PUT', `/api/v1/admin/inventory/${sku}`, { token: adminToken, body: { onHand } })).status).toBe(200);
  }
  let shoppers = 0;
  const shopper = async (): Promise<Shopper> => {
    shoppers += 1;
    const call = harness.api(`10.${Math.floor(shoppers / 250)}.${shoppers % 250}.7`);
    const email = `${run}-${shoppers}@example.com`;
    expect((await call('POST', '/api/v1/auth/register', { body: { email, password: 'correct-horse-42' } })).status).toBe(201);
    const login = await call('POST', '/api/v1/auth/login', { body: { email, password: 'correct-horse-42' } });
    expect(login.status).toBe(200);
    return { token: login.body.accessToken, call };
  };
  const stockOf = async (sku: string) => (await admin('GET', `/api/v1/admin/inventory/${sku}`, { token: adminToken })).body;
  return { admin, adminToken, shopper, stockOf, productId: product.body.id as string };
}

const orderOf = (shopper: Shopper, id: string) => shopper.call('GET', `/api/v1/orders/${id}`, { token: shopper.token });

async function untilStatus(shopper: Shopper, id: string, statuses: string[], timeoutMs = 30_000) {
  return until(async () => {
    const order = await orderOf(shopper, id);
    return statuses.includes(order.body.status) ? order.body : undefined;
  }, timeoutMs, `order ${id} to reach ${statuses.join(' or ')}`);
}

describe('checkout on the embedded default (Postgres event log, test payment provider)', () => {
  let harness: Harness;
  let ctx: Awaited<ReturnType<typeof setUp>>;
  const run = uniqueName('co').replace(/_/g, '-');
  const MUG = `MUG-${run}`.toUpperCase();
  const LAST20 = `LAST-${run}`.toUpperCase();
  const BULK = `BULK-${run}`.toUpperCase();

  beforeAll(async () => {
    // 100 shoppers registering at one moment queue in auth; on a busy CI machine that is longer than
    // the gateway's usual 3 s. This suite checks what is sold, not how fast.
    harness = await startHarness({ kafka: false, redis: false, env: { RATE_LIMIT_AUTH_PER_IP: '1000', GRPC_DEADLINE_MS: '15000' } });
    ctx = await setUp(harness, run, { [MUG]: 10, [LAST20]: 20, [BULK]: 300 });
  });
  afterAll(async () => {
    await harness?.platform.stop();
    await harness?.dropDatabases();
  });
  afterEach(() => {
    if (expect.getState().assertionCalls !== expect.getState().numPassingAsserts) process.stdout.write(`${harness.logs.slice(-40).join('\n')}\n`);
  });

  it('takes a newcomer from cart to a CONFIRMED order with its history', async () => {
    const shopper = await ctx.shopper();
    const added = await shopper.call('POST', '/api/v1/cart/items', { token: shopper.token, body: { sku: MUG, quantity: 2 } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ items: [{ sku: MUG, quantity: 2, unitPrice: { amount: 1250, currency: 'EUR' }, lineTotal: { amount: 2500, currency: 'EUR' } }], total: { amount: 2500, currency: 'EUR' } });
    const itemId = added.body.items[0].id;
    expect((await shopper.call('PATCH', `/api/v1/cart/items/${itemId}`, { token: shopper.token, body: { quantity: 3 } })).body.total).toEqual({ amount: 3750, currency: 'EUR' });
    const address = await shopper.call('POST', '/api/v1/users/me/addresses', { token: shopper.token, body: ADDRESS });
    expect(address.status).toBe(201);

    expect((await shopper.call('POST', '/api/v1/orders', { token: shopper.token, body: { shippingAddressId: address.body.id } })).status).toBe(400);
    const key = `${run}-first-checkout`;
    const placed = await shopper.call('POST', '/api/v1/orders', { token: shopper.token, headers: { 'idempotency-key': key }, body: { shippingAddressId: address.body.id } });
    expect(placed.status).toBe(202);
    expect(placed.body).toEqual({ id: expect.any(String), status: 'PENDING' });
    const again = await shopper.call('POST', '/api/v1/orders', { token: shopper.token, headers: { 'idempotency-key': key }, body: { shippingAddressId: address.body.id } });
    expect(again.body.id).toBe(placed.body.id);
    const other = await shopper.call('POST', '/api/v1/orders', { token: shopper.token, headers: { 'idempotency-key': key }, body: { shippingAddress: { ...ADDRESS, city: 'York' } } });
    expect(other.status).toBe(422);

    const awaiting = await untilStatus(shopper, placed.body.id, ['AWAITING_PAYMENT']);
    expect(awaiting.payment).toMatchObject({ provider: 'test', clientSecret: expect.any(String) });
    expect((await ctx.stockOf(MUG))).toMatchObject({ onHand: 10, reserved: 3, available: 7 });
    const paid = await shopper.call('POST', `/api/v1/orders/${placed.body.id}/test-payment`, { token: shopper.token, body: { outcome: 'succeeded' } });
    expect(paid.status).toBe(200);
    const confirmed = await untilStatus(shopper, placed.body.id, ['CONFIRMED']);
    expect(confirmed).toMatchObject({ total: { amount: 3750, currency: 'EUR' }, items: [{ sku: MUG, quantity: 3 }], shippingAddress: { city: 'Leeds' } });
    expect(confirmed.history.map((h: { status: string }) => h.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED']);
    await until(async () => ((await ctx.stockOf(MUG)).onHand === 7 ? true : undefined), 15_000, 'reservation committed');
    expect(await ctx.stockOf(MUG)).toEqual({ sku: MUG, onHand: 7, reserved: 0, available: 7 });
    expect((await shopper.call('GET', '/api/v1/cart', { token: shopper.token })).body.items).toEqual([]);
    expect((await shopper.call('GET', '/api/v1/orders', { token: shopper.token })).body).toMatchObject({ total: 1, items: [{ id: placed.body.id, status: 'CONFIRMED' }] });

    // Cancelled before shipment: the payment is refunded and the units come back into stock.
    const cancelled = await shopper.call('POST', `/api/v1/orders/${placed.body.id}/cancel`, { token: shopper.token, body: { reason: 'ordered twice' } });
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'ordered twice' });
    const refunded = await untilStatus(shopper, placed.body.id, ['REFUNDED']);
    expect(refunded.history.map((h: { status: string }) => h.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED', 'CANCELLED', 'REFUNDED']);
    await until(async () => ((await ctx.stockOf(MUG)).onHand === 10 ? true : undefined), 15_000, 'units returned');
    expect(await ctx.stockOf(MUG)).toEqual({ sku: MUG, onHand: 10, reserved: 0, available: 10 });
  });

  it('cancels on a failed payment and gives the stock back; a shopper can cancel before shipment', async () => {
    const shopper = await ctx.shopper();
    await shopper.call('POST', '/api/v1/cart/items', { token: shopper.token, body: { sku: MUG, quantity: 1 } });
    const placed = await shopper.call('POST', '/api/v1/orders', { token: shopper.token, headers: { 'idempotency-key': `${run}-fail` }, body: { shippingAddress: ADDRESS } });
    await untilStatus(shopper, placed.body.id, ['AWAITING_PAYMENT']);
    await shopper.call('POST', `/api/v1/orders/${placed.body.id}/test-payment`, { token: shopper.token, body: { outcome: 'failed' } });
    const cancelled = await untilStatus(shopper, placed.body.id, ['CANCELLED']);
    expect(cancelled.cancelReason).toMatch(/payment failed/);
    await until(async () => ((await ctx.stockOf(MUG)).reserved === 0 ? true : undefined), 15_000, 'stock released');

    await shopper.call('POST', '/api/v1/cart/items', { token: shopper.token, body: { sku: MUG, quantity: 1 } });
    const second = await shopper.call('POST', '/api/v1/orders', { token: shopper.token, headers: { 'idempotency-key': `${run}-cancel` }, body: { shippingAddress: ADDRESS } });
    await untilStatus(shopper, second.body.id, ['AWAITING_PAYMENT']);
    const cancel = await shopper.call('POST', `/api/v1/orders/${second.body.id}/cancel`, { token: shopper.token, body: { reason: 'changed my mind' } });
    expect(cancel.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'changed my mind' });
    await until(async () => ((await ctx.stockOf(MUG)).reserved === 0 ? true : undefined), 15_000, 'stock released after cancel');
    // An admin cannot ship a cancelled order.
    expect((await ctx.admin('POST', `/api/v1/admin/orders/${second.body.id}/status`, { token: ctx.adminToken, body: { status: 'SHIPPED' } })).status).toBe(422);
  });

  it('will not let one shopper hold more than 100 units of a SKU unpaid (422 saying the cap)', async () => {
    const shopper = await ctx.shopper();
    const checkout = (key: string) => shopper.call('POST', '/api/v1/orders', { token: shopper.token, headers: { 'idempotency-key': `${run}-${key}` }, body: { shippingAddress: ADDRESS } });
    await shopper.call('POST', '/api/v1/cart/items', { token: shopper.token, body: { sku: BULK, quantity: 100 } });
    const first = await checkout('bulk-1');
    expect(first.status).toBe(202);
    await untilStatus(shopper, first.body.id, ['AWAITING_PAYMENT']);
    // The second round of the "add 100, order" (three of them took 300 of 300 units).
    await shopper.call('POST', '/api/v1/cart/items', { token: shopper.token, body: { sku: BULK, quantity: 100 } });
    const second = await checkout('bulk-2');
    expect(second.status).toBe(422);
    expect(second.body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: `at most 100 units of ${BULK} in unpaid orders at a time (100 held, 100 ordered): pay for or cancel an order first`,
      requestId: expect.any(String),
    });
    expect(await ctx.stockOf(BULK)).toMatchObject({ reserved: 100, available: 200 });
    // Cancelling the first lets the second through, with the same key.
    expect((await shopper.call('POST', `/api/v1/orders/${first.body.id}/cancel`, { token: shopper.token, body: {} })).status).toBe(200);
    const retried = await checkout('bulk-2');
    expect(retried.status).toBe(202);
    expect((await shopper.call('POST', `/api/v1/orders/${retried.body.id}/cancel`, { token: shopper.token, body: {} })).status).toBe(200);
  });

  it('sells exactly the last 20 units to 100 shoppers checking out at the same moment', async () => {
    const shoppers = await Promise.all(Array.from({ length: 100 }, () => ctx.shopper()));
    for (const shopper of shoppers) {
      expect((await shopper.call('POST', '/api/v1/cart/items', { token: shopper.token, body: { sku: LAST20, quantity: 1 } })).status).toBe(201);
    }
    const placed = await Promise.all(
      shoppers.map((shopper, i) => shopper.call('POST', '/api/v1/orders', { token: shopper.token, headers: { 'idempotency-key': `${run}-race-${i}` }, body: { shippingAddress: ADDRESS } })),
    );
    expect(placed.map((p) => p.status)).toEqual(Array(100).fill(202));
    const settled = await Promise.all(shoppers.map((shopper, i) => untilStatus(shopper, placed[i]!.body.id, ['AWAITING_PAYMENT', 'CANCELLED'], 90_000)));
    const awaiting = settled.filter((order) => order.status === 'AWAITING_PAYMENT');
    expect(awaiting).toHaveLength(20);
    expect(settled.filter((order) => order.status === 'CANCELLED').every((order) => /out of stock/.test(order.cancelReason))).toBe(true);
    await Promise.all(
      shoppers.map(async (shopper, i) => {
        if (settled[i]!.status !== 'AWAITING_PAYMENT') return;
        // Paid like a shopper would: again after a 503 under this load, until it is taken.
        const pay = () => shopper.call('POST', `/api/v1/orders/${placed[i]!.body.id}/test-payment`, { token: shopper.token, body: { outcome: 'succeeded' } });
        await until(async () => ((await pay()).status === 200 ? true : undefined), 60_000, `payment of order ${placed[i]!.body.id}`);
      }),
    );
    const final = await Promise.all(shoppers.map((shopper, i) => untilStatus(shopper, placed[i]!.body.id, ['CONFIRMED', 'CANCELLED'], 90_000)));
    expect(final.filter((order) => order.status === 'CONFIRMED')).toHaveLength(20);
    expect(final.filter((order) => order.status === 'CANCELLED')).toHaveLength(80);
    await until(async () => ((await ctx.stockOf(LAST20)).onHand === 0 ? true : undefined), 30_000, 'all 20 committed');
    expect(await ctx.stockOf(LAST20)).toEqual({ sku: LAST20, onHand: 0, reserved: 0, available: 0 });
    // 100 registrations, checkouts and two rounds of polling through one gateway on a shared machine.
  }, 300_000);
});

describe('checkout faults (Kafka, Redis, Elasticsearch)', () => {
  let harness: Harness;
  let ctx: Awaited<ReturnType<typeof setUp>>;
  const run = uniqueName('cf').replace(/_/g, '-');
  const SKU = `FAULT-${run}`.toUpperCase();

  beforeAll(async () => {
    // A short circuit-breaker pause lets the order service reach the restarted payment service within the checkout timeout.
    harness = await startHarness({ kafka: true, redis: true, elasticsearch: true, env: { RATE_LIMIT_AUTH_PER_IP: '1000', CHECKOUT_TIMEOUT_SECONDS: '8', CIRCUIT_OPEN_MS: '1000' } });
    ctx = await setUp(harness, run, { [SKU]: 5 });
  });
  afterAll(async () => {
    await harness?.platform.stop();
    await harness?.dropDatabases();
  });
  afterEach(() => {
    if (expect.getState().assertionCalls !== expect.getState().numPassingAsserts) process.stdout.write(`${harness.logs.slice(-40).join('\n')}\n`);
  });

  it('with the payment service down, the order waits, then times out into CANCELLED with its stock released', async () => {
    const shopper = await ctx.shopper();
    await shopper.call('POST', '/api/v1/cart/items', { token: shopper.token, body: { sku: SKU, quantity: 2 } });
    await harness.platform.kill('payment');
    try {
      const placed = await shopper.call('POST', '/api/v1/orders', { token: shopper.token, headers: { 'idempotency-key': `${run}-down` }, body: { shippingAddress: ADDRESS } });
      expect(placed.status).toBe(202);
      await until(async () => ((await ctx.stockOf(SKU)).reserved === 2 ? true : undefined), 20_000, 'stock reserved');
      expect((await orderOf(shopper, placed.body.id)).body.status).toBe('PENDING');
      const cancelled = await untilStatus(shopper, placed.body.id, ['CANCELLED'], 60_000);
      expect(cancelled.cancelReason).toMatch(/timed out/);
      await until(async () => ((await ctx.stockOf(SKU)).reserved === 0 ? true : undefined), 30_000, 'stock released');
      expect(await ctx.stockOf(SKU)).toEqual({ sku: SKU, onHand: 5, reserved: 0, available: 5 });
    } finally {
      await harness.platform.start('payment');
    }
  });

  it('loses no order when the order service is SIGKILLed with its events still in the outbox while Kafka is unreachable', async () => {
    const order = harness.platform.processes.get('order')!;
    const brokers = order.env.KAFKA_BROKERS!;
    const pg = new Client({ connectionString: harness.platform.databaseUrls.order });
    await pg.connect();
    const unpublished = async (ids: string[]) =>
      (await pg.query(`SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL AND topic = 'order.created' AND key = ANY($1)`, [ids])).rows[0].n as number;
    const probe = await ctx.shopper();
    const restartOrderService = async (kafkaBrokers: string) => {
      await harness.platform.kill('order');
      order.env.KAFKA_BROKERS = kafkaBrokers;
      // The describe's 8 s checkout timeout is for the payment-down test; these orders wait out two restarts.
      order.env.CHECKOUT_TIMEOUT_SECONDS = '60';
      await harness.platform.start('order');
      // The gateway answers 503 until its channel has reconnected (backoff up to 2 s); a client would retry.
      await until(async () => ((await probe.call('GET', '/api/v1/cart', { token: probe.token })).status === 200 ? true : undefined), 15_000, 'gateway reaching the order service');
    };
    try {
      // The order service loses Kafka; it still accepts orders.
      await restartOrderService(UNREACHABLE_ADDRESS);
      const shoppers = await Promise.all([ctx.shopper(), ctx.shopper()]);
      const placed: string[] = [];
      for (const [i, shopper] of shoppers.entries()) {
        await shopper.call('POST', '/api/v1/cart/items', { token: shopper.token, body: { sku: SKU, quantity: 1 } });
        const response = await shopper.call('POST', '/api/v1/orders', { token: shopper.token, headers: { 'idempotency-key': `${run}-kill-${i}` }, body: { shippingAddress: ADDRESS } });
        expect(response.status).toBe(202);
        placed.push(response.body.id);
      }
      expect(await unpublished(placed)).toBe(2);

      // Killed as a crash would, between the commit and any publish; then back with Kafka.
      await restartOrderService(brokers);
      for (const [i, shopper] of shoppers.entries()) {
        await untilStatus(shopper, placed[i]!, ['AWAITING_PAYMENT'], 60_000);
        expect((await shopper.call('POST', `/api/v1/orders/${placed[i]}/test-payment`, { token: shopper.token, body: { outcome: 'succeeded' } })).status).toBe(200);
      }
      for (const [i, shopper] of shoppers.entries()) {
        const confirmed = await untilStatus(shopper, placed[i]!, ['CONFIRMED']);
        expect(confirmed.history.map((h: { status: string }) => h.status)).toEqual(['PENDING', 'AWAITING_PAYMENT', 'CONFIRMED']);
      }
      expect(await unpublished(placed)).toBe(0);
      await until(async () => ((await ctx.stockOf(SKU)).onHand === 3 ? true : undefined), 30_000, 'both units committed');
    } finally {
      if (order.env.KAFKA_BROKERS !== brokers || !order.child) await restartOrderService(brokers);
      await pg.end();
    }
  });

  it('confirms through Kafka once the payment service is back', async () => {
    const shopper = await ctx.shopper();
    await shopper.call('POST', '/api/v1/cart/items', { token: shopper.token, body: { sku: SKU, quantity: 1 } });
    const placed = await shopper.call('POST', '/api/v1/orders', { token: shopper.token, headers: { 'idempotency-key': `${run}-ok` }, body: { shippingAddress: ADDRESS } });
    await untilStatus(shopper, placed.body.id, ['AWAITING_PAYMENT']);
    await shopper.call('POST', `/api/v1/orders/${placed.body.id}/test-payment`, { token: shopper.token, body: { outcome: 'succeeded' } });
    await untilStatus(shopper, placed.body.id, ['CONFIRMED']);
    const admin = ctx.admin;
    for (const status of ['FULFILLING', 'SHIPPED', 'DELIVERED']) {
      expect((await admin('POST', `/api/v1/admin/orders/${placed.body.id}/status`, { token: ctx.adminToken, body: { status } })).body.status).toBe(status);
    }
    expect((await shopper.call('POST', `/api/v1/orders/${placed.body.id}/cancel`, { token: shopper.token, body: {} })).status).toBe(422);
    expect((await admin('GET', `/api/v1/admin/orders?status=DELIVERED`, { token: ctx.adminToken })).body.items.map((o: { id: string }) => o.id)).toContain(placed.body.id);
  });
});
