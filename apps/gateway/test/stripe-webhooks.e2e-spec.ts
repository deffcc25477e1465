import { eventually, startStripeMock, uniqueName } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import Stripe from 'stripe';
import { type Harness, startHarness } from './platform-harness';

const WEBHOOK_SECRET = 'whsec_e2e_test_secret';
const stripe = new Stripe('sk_test_e2e');

const until = <T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, what?: string) => eventually(probe, timeoutMs, what);

/** Checkout paid through Stripe: the platform talks to Stripe's own mock server, and Stripe's webhooks come in signed. */
describe('Stripe payments and webhooks through the gateway (stripe-mock)', () => {
  let harness: Harness;
  const run = uniqueName('stripe').replace(/_/g, '-');
  const SKU = `STRIPE-${run}`.toUpperCase();

  beforeAll(async () => {
    const url = startStripeMock();
    harness = await startHarness({
      kafka: false,
      redis: false,
      env: {
        RATE_LIMIT_AUTH_PER_IP: '1000',
        STRIPE_SECRET_KEY: 'sk_test_e2e',
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_HOST: url.hostname,
        STRIPE_API_PORT: url.port,
        STRIPE_API_PROTOCOL: 'http',
      },
    });
  });
  afterAll(async () => {
    await harness?.platform.stop();
    await harness?.dropDatabases();
  });
  afterEach(() => {
    if (expect.getState().assertionCalls !== expect.getState().numPassingAsserts) process.stdout.write(`${harness.logs.slice(-40).join('\n')}\n`);
  });

  function webhook(type: string, intentId: string, orderId: string, secret = WEBHOOK_SECRET) {
    const payload = JSON.stringify({
      id: `evt_${randomUUID().replace(/-/g, '')}`,
      object: 'event',
      api_version: '2025-01-27.acacia',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      type,
      data: { object: { id: intentId, object: 'payment_intent', amount: 2400, currency: 'eur', metadata: { orderId }, last_payment_error: type.endsWith('failed') ? { message: 'card declined' } : null } },
    });
    return { payload, signature: stripe.webhooks.generateTestHeaderString({ payload, secret }) };
  }

  const send = (hook: { payload: string; signature: string }) =>
    fetch(`${harness.platform.gatewayUrl}/api/v1/payments/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': hook.signature, 'x-forwarded-for': '203.0.113.77' },
      body: hook.payload,
    });

  it('confirms an order once for a webhook delivered three times, and a late failure changes nothing', async () => {
    const admin = harness.api('198.51.100.60');
    const adminToken = (await admin('POST', '/api/v1/auth/login', { body: { email: harness.platform.adminEmail, password: harness.platform.adminPassword } })).body.accessToken;
    await admin('POST', '/api/v1/admin/products', {
      token: adminToken,
      body: { name: 'Stripe Mug', description: '', categoryIds: [], status: 'published', variants: [{ sku: SKU, price: { amount: 1200, currency: 'EUR' } }] },
    });
    await admin('PUT', `/api/v1/admin/inventory/${SKU}`, { token: adminToken, body: { onHand: 5 } });
    const shopper = harness.api('192.0.2.60');
    await shopper('POST', '/api/v1/auth/register', { body: { email: `${run}@example.com`, password: 'correct-horse-42' } });
    const token = (await shopper('POST', '/api/v1/auth/login', { body: { email: `${run}@example.com`, password: 'correct-horse-42' } })).body.accessToken;
    await shopper('POST', '/api/v1/cart/items', { token, body: { sku: SKU, quantity: 2 } });
    const placed = await shopper('POST', '/api/v1/orders', { token, headers: { 'idempotency-key': `${run}-checkout` }, body: { shippingAddress: { line1: '1 Road', city: 'Leeds', postalCode: 'LS1', country: 'GB' } } });
    expect(placed.status).toBe(202);
    const awaiting = await until(async () => {
      const order = await shopper('GET', `/api/v1/orders/${placed.body.id}`, { token });
      return order.body.status === 'AWAITING_PAYMENT' ? order.body : undefined;
    }, 30_000, 'AWAITING_PAYMENT');
    expect(awaiting.payment).toMatchObject({ provider: 'stripe', clientSecret: expect.stringMatching(/^pi_.+_secret_/) });
    expect((await shopper('POST', `/api/v1/orders/${placed.body.id}/test-payment`, { token, body: { outcome: 'succeeded' } })).status).toBe(422);

    const pg = new Client({ connectionString: harness.platform.databaseUrls.payment });
    await pg.connect();
    const { rows } = await pg.query('SELECT provider_payment_id FROM payments WHERE order_id = $1', [placed.body.id]);
    const intentId = rows[0].provider_payment_id as string;
    expect(intentId).toMatch(/^pi_/);

    const tampered = webhook('payment_intent.succeeded', intentId, placed.body.id);
    const forged = await send({ payload: tampered.payload.replace('2400', '1'), signature: tampered.signature });
    expect(forged.status).toBe(401);
    expect((await send(webhook('payment_intent.succeeded', intentId, placed.body.id, 'whsec_someone_else'))).status).toBe(401);

    const success = webhook('payment_intent.succeeded', intentId, placed.body.id);
    const answers = [await send(success), await send(success), await send(success)];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await Promise.all(answers.map((a) => a.json()))).toEqual([
      { received: true, duplicate: false },
      { received: true, duplicate: true },
      { received: true, duplicate: true },
    ]);
    const confirmed = await until(async () => {
      const order = await shopper('GET', `/api/v1/orders/${placed.body.id}`, { token });
      return order.body.status === 'CONFIRMED' ? order.body : undefined;
    }, 30_000, 'CONFIRMED');
    expect(confirmed.history.filter((h: { status: string }) => h.status === 'CONFIRMED')).toHaveLength(1);

    expect((await send(webhook('payment_intent.payment_failed', intentId, placed.body.id))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await shopper('GET', `/api/v1/orders/${placed.body.id}`, { token })).body.status).toBe('CONFIRMED');
    const ledger = await pg.query(`SELECT kind, count(*)::int AS n FROM payment_transactions t JOIN payments p ON p.id = t.payment_id WHERE p.order_id = $1 GROUP BY kind`, [placed.body.id]);
    await pg.end();
    expect(ledger.rows).toEqual([{ kind: 'charge', n: 1 }]);

    // An admin refunds part of it through Stripe (the mock), once per idempotency key.
    const paymentId = confirmed.payment.id;
    const refund = () => admin('POST', `/api/v1/admin/payments/${paymentId}/refund`, { token: adminToken, headers: { 'idempotency-key': `${run}-refund-1` }, body: { amount: 400, reason: 'damaged' } });
    const refunded = (await refund()).body;
    expect(refunded).toMatchObject({ status: 'partially_refunded', amountRefunded: { amount: 400 } });
    expect(refunded).not.toHaveProperty('clientSecret');
    expect((await refund()).body).toMatchObject({ amountRefunded: { amount: 400 } });
    expect((await admin('POST', `/api/v1/admin/payments/${paymentId}/refund`, { token: adminToken, body: {} })).status).toBe(400);
  });
});
