import { eventually, repoRoot, uniqueName } from '@shop/testing';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSse, type SseEvent, type SseStream } from '../../../bench/sse-client';
import { freePort, waitForReady } from '../../../scripts/platform/platform';
import { type Api, type Harness, startHarness } from './platform-harness';

const until = <T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, what?: string) => eventually(probe, timeoutMs, what);

interface Shopper {
  email: string;
  token: string;
  call: Api;
}

const typeOf = (event: SseEvent) => (JSON.parse(event.data) as { type: string }).type;

describe('notifications through the gateway on the embedded default (Postgres event log, test payment provider)', () => {
  let harness: Harness;
  let admin: Api;
  let adminToken: string;
  const run = uniqueName('nt').replace(/_/g, '-');
  const SKU = `LAMP-${run}`.toUpperCase();
  const streams: SseStream[] = [];
  let shoppers = 0;

  beforeAll(async () => {
    harness = await startHarness({ kafka: false, redis: false, env: { RATE_LIMIT_AUTH_PER_IP: '1000', NOTIFICATION_STREAM_HEARTBEAT_SECONDS: '1' } });
    admin = harness.api('198.51.100.60');
    adminToken = (await admin('POST', '/api/v1/auth/login', { body: { email: harness.platform.adminEmail, password: harness.platform.adminPassword } })).body.accessToken;
    const category = await admin('POST', '/api/v1/admin/categories', { token: adminToken, body: { name: `Lamps ${run}` } });
    const product = await admin('POST', '/api/v1/admin/products', {
      token: adminToken,
      body: {
        name: 'Brass Desk Lamp',
        description: 'Lights a desk.',
        brand: 'Lumen',
        categoryIds: [category.body.id],
        status: 'published',
        variants: [{ sku: SKU, price: { amount: 4999, currency: 'EUR' }, attributes: { finish: 'brass' } }],
      },
    });
    expect(product.status).toBe(201);
    expect((await admin('PUT', `/api/v1/admin/inventory/${SKU}`, { token: adminToken, body: { onHand: 50 } })).status).toBe(200);
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await harness?.platform.stop();
    await harness?.dropDatabases();
  });

  afterEach(() => {
    if (expect.getState().assertionCalls !== expect.getState().numPassingAsserts) process.stdout.write(`${harness.logs.slice(-40).join('\n')}\n`);
  });

  async function shopper(): Promise<Shopper> {
    shoppers += 1;
    const call = harness.api(`10.9.${shoppers}.7`);
    const email = `${run}-${shoppers}@example.com`;
    expect((await call('POST', '/api/v1/auth/register', { body: { email, password: 'correct-horse-42', name: `Shopper ${shoppers}` } })).status).toBe(201);
    const login = await call('POST', '/api/v1/auth/login', { body: { email, password: 'correct-horse-42' } });
    expect(login.status).toBe(200);
    return { email, token: login.body.accessToken, call };
  }

  async function stream(who: Shopper, lastEventId?: string): Promise<SseStream> {
    const opened = await openSse(`${harness.platform.gatewayUrl}/api/v1/notifications/stream`, { token: who.token, lastEventId });
    streams.push(opened);
    return opened;
  }

  const list = (who: Shopper, query = '') => who.call('GET', `/api/v1/notifications${query}`, { token: who.token });

  async function orderStatus(who: Shopper, id: string, status: string) {
    return until(async () => {
      const order = await who.call('GET', `/api/v1/orders/${id}`, { token: who.token });
      return order.body.status === status ? order.body : undefined;
    }, 30_000, `order ${id} ${status}`);
  }

  /** Two lamps in the cart, an order, its payment waiting: the order's id. */
  async function awaitingPayment(who: Shopper, key: string): Promise<string> {
    expect((await who.call('POST', '/api/v1/cart/items', { token: who.token, body: { sku: SKU, quantity: 2 } })).status).toBe(201);
    const placed = await who.call('POST', '/api/v1/orders', {
      token: who.token,
      headers: { 'idempotency-key': `${run}-${key}` },
      body: { shippingAddress: { line1: '1 Lamp Lane', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' } },
    });
    expect(placed.status).toBe(202);
    await orderStatus(who, placed.body.id, 'AWAITING_PAYMENT');
    return placed.body.id;
  }

  const pay = async (who: Shopper, orderId: string) =>
    expect((await who.call('POST', `/api/v1/orders/${orderId}/test-payment`, { token: who.token, body: { outcome: 'succeeded' } })).status).toBe(200);

  it('pushes order.confirmed to an open stream within 2 s, resumes after Last-Event-ID, and marking read changes unread', async () => {
    const ada = await shopper();
    // The welcome, in the list once the events have gone round.
    const welcomed = await until(async () => {
      const page = await list(ada);
      return page.body.items?.some((item: { type: string }) => item.type === 'account.welcome') ? page.body : undefined;
    }, 30_000, 'the welcome notification');
    expect(welcomed).toMatchObject({ total: 1, unread: 1, page: 1, limit: 20 });
    expect(welcomed.items[0]).toEqual({
      id: expect.any(String),
      type: 'account.welcome',
      title: 'Welcome to Shop',
      body: expect.stringContaining('Your account is ready'),
      data: {},
      readAt: null,
      createdAt: expect.any(String),
    });

    const live = await stream(ada);
    expect(live.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(live.headers['cache-control']).toBe('no-store');
    expect(live.headers['x-request-id']).toBeTruthy();

    const orderId = await awaitingPayment(ada, 'ada-1');
    const paidAt = performance.now();
    await pay(ada, orderId);
    const confirmed = await live.next((event) => event.event === 'notification' && typeOf(event) === 'order.confirmed', 10_000);
    const latencyMs = confirmed.receivedAt - paidAt;
    process.stdout.write(`order.confirmed reached the open stream ${latencyMs.toFixed(0)} ms after the payment was made\n`);
    expect(latencyMs).toBeLessThanOrEqual(2000);
    expect(confirmed.id).toMatch(/^\d+$/);
    const ref = `#${orderId.slice(0, 8).toUpperCase()}`;
    expect(JSON.parse(confirmed.data)).toEqual({
      id: expect.any(String),
      type: 'order.confirmed',
      title: `Order ${ref} confirmed`,
      body: 'Thank you! We received your payment of €99.98 and are preparing your order.',
      data: { orderId, total: { amount: 9998, currency: 'EUR' } },
      readAt: null,
      createdAt: expect.any(String),
    });
    // Heartbeats keep the stream open (one a second in this run).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    live.close();

    // While the shopper is away, the order ships.
    for (const status of ['FULFILLING', 'SHIPPED']) {
      expect((await admin('POST', `/api/v1/admin/orders/${orderId}/status`, { token: adminToken, body: { status } })).status).toBe(200);
    }
    await until(async () => ((await list(ada)).body.total === 3 ? true : undefined), 30_000, 'order.shipped made');

    // Reconnecting with the last id received sends what was missed (and not the confirmation again), then live ones.
    const resumed = await stream(ada, confirmed.id);
    const missed = await resumed.next((event) => event.event === 'notification', 5000);
    expect(typeOf(missed)).toBe('order.shipped');
    expect(Number(missed.id)).toBeGreaterThan(Number(confirmed.id));
    expect((await admin('POST', `/api/v1/admin/orders/${orderId}/status`, { token: adminToken, body: { status: 'DELIVERED' } })).status).toBe(200);
    const delivered = await resumed.next((event) => event.event === 'notification' && typeOf(event) === 'order.delivered', 10_000);
    expect(Number(delivered.id)).toBeGreaterThan(Number(missed.id));
    expect(resumed.events.filter((event) => event.event === 'notification').map(typeOf)).toEqual(['order.shipped', 'order.delivered']);
    resumed.close();

    // Marking read changes unread; another shopper's notification is not found.
    const before = (await list(ada)).body;
    expect(before).toMatchObject({ total: 4, unread: 4 });
    expect(before.items.map((item: { type: string }) => item.type)).toEqual(['order.delivered', 'order.shipped', 'order.confirmed', 'account.welcome']);
    const read = await ada.call('POST', `/api/v1/notifications/${before.items[2].id}/read`, { token: ada.token });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: before.items[2].id, type: 'order.confirmed', readAt: expect.any(String) });
    expect((await list(ada)).body.unread).toBe(3);
    expect((await list(ada, '?unread=true&limit=2')).body).toMatchObject({ total: 3, unread: 3, limit: 2, items: [{ type: 'order.delivered' }, { type: 'order.shipped' }] });
    const stranger = await shopper();
    expect((await stranger.call('POST', `/api/v1/notifications/${before.items[0].id}/read`, { token: stranger.token })).status).toBe(404);
    expect((await stranger.call('POST', '/api/v1/notifications/not-a-uuid/read', { token: stranger.token })).status).toBe(400);
    expect((await ada.call('POST', '/api/v1/notifications/read-all', { token: ada.token })).body).toEqual({ marked: 3, unread: 0 });
    expect((await list(ada)).body).toMatchObject({ total: 4, unread: 0 });

    // Without SMTP_URL the embedded default writes each mail as an .eml file.
    const mailDir = harness.platform.processes.get('notification')!.env.MAIL_DIR!;
    const mails = await until(async () => {
      if (!existsSync(mailDir)) return undefined;
      const mine = readdirSync(mailDir)
        .filter((file) => file.endsWith('.eml'))
        .map((file) => readFileSync(join(mailDir, file), 'utf8'))
        .filter((mail) => mail.includes(`To: ${ada.email}`));
      return mine.length >= 4 ? mine : undefined;
    }, 30_000, 'four .eml files for the shopper');
    expect(mails.some((mail) => mail.includes(`Subject: Order ${ref} confirmed`))).toBe(true);
  });

  it('pushes to a stream held by another gateway replica: every replica hears every notification', async () => {
    const first = harness.platform.processes.get('gateway')!;
    const port = await freePort();
    // A second gateway with the first one's settings (only those: not this process's environment).
    const replica = spawn(process.execPath, ['--enable-source-maps', join(repoRoot(), 'dist/apps/gateway/src/main.js')], {
      env: { PATH: process.env.PATH ?? '', ...first.env, PORT: String(port) },
      stdio: 'ignore',
    });
    try {
      await waitForReady(`http://127.0.0.1:${port}/health/ready`, 60_000, () => replica.exitCode === null);
      const dee = await shopper();
      const remote = await openSse(`http://127.0.0.1:${port}/api/v1/notifications/stream`, { token: dee.token, headers: { 'x-forwarded-for': '10.9.200.7' } });
      streams.push(remote);
      const local = await stream(dee);
      // The order is placed and paid through the first gateway.
      const orderId = await awaitingPayment(dee, 'dee-1');
      await pay(dee, orderId);
      const [there, here] = await Promise.all(
        [remote, local].map((each) => each.next((event) => event.event === 'notification' && typeOf(event) === 'order.confirmed', 10_000)),
      );
      expect(there.id).toBe(here.id);
      expect(JSON.parse(there.data)).toEqual(JSON.parse(here.data));
    } finally {
      replica.kill('SIGTERM');
    }
  });

  it('keeps notification preferences: marketing off until switched on, order emails always on', async () => {
    const bea = await shopper();
    const path = '/api/v1/users/me/notification-preferences';
    expect((await bea.call('GET', path, { token: bea.token })).body).toEqual({
      email: { orders: true, account: true, marketing: false },
      inApp: { orders: true, account: true, marketing: false },
    });
    const wanted = { email: { orders: true, account: false, marketing: true }, inApp: { orders: true, account: true, marketing: true } };
    const put = await bea.call('PUT', path, { token: bea.token, body: wanted });
    expect(put.status).toBe(200);
    expect(put.body).toEqual(wanted);
    expect((await bea.call('GET', path, { token: bea.token })).body).toEqual(wanted);
    const refused = await bea.call('PUT', path, { token: bea.token, body: { ...wanted, email: { ...wanted.email, orders: false } } });
    expect(refused.status).toBe(400);
    // Refused at the edge, where the OpenAPI document says email.orders is always true.
    expect(refused.body.details).toEqual([expect.stringMatching(/order emails are transactional/)]);
    expect((await bea.call('PUT', path, { token: bea.token, body: { email: wanted.email } })).status).toBe(400);
    expect((await bea.call('PUT', path, { token: bea.token, body: { ...wanted, inApp: { ...wanted.inApp, marketing: 'yes' } } })).status).toBe(400);
    expect((await bea.call('GET', path, { token: bea.token })).body).toEqual(wanted);
  });

  it('refuses a stream without a token or with a Last-Event-ID that is not one', async () => {
    const cy = await shopper();
    await expect(openSse(`${harness.platform.gatewayUrl}/api/v1/notifications/stream`, { token: 'not-a-token' })).rejects.toMatchObject({ status: 401 });
    await expect(openSse(`${harness.platform.gatewayUrl}/api/v1/notifications/stream`, { token: cy.token, lastEventId: 'abc' })).rejects.toMatchObject({ status: 400 });
    expect((await harness.api()('GET', '/api/v1/notifications')).status).toBe(401);
  });
});
