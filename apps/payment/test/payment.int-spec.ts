import { status } from '@grpc/grpc-js';
import { createEvent, type EventType, type IntegrationEvent, paymentV1, topicOf } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { KafkaEventBus } from '@shop/messaging';
import { createLogger } from '@shop/observability';
import { type RunningService, startService } from '@shop/service-kit';
import { createTestDatabase, eventually, grpcCode, startStripeMock, type TestDatabase, testInfra, uniqueName } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import Stripe from 'stripe';
import { paymentConfigSchema } from '../src/config';
import { PaymentModule } from '../src/payment.module';
import { PAYMENT_COMMANDS_CONSUMER } from '../src/payments/payment-commands.consumer';

type Payments = GrpcDownstream<typeof paymentV1.PaymentServiceService>;

const PAYMENT_TOPICS = ['payment.created', 'payment.succeeded', 'payment.failed', 'payment.refunded', 'payment.canceled'];
const COMMAND_TOPIC = topicOf('payment.create');
const WEBHOOK_SECRET = `whsec_${randomUUID().replace(/-/g, '')}`;

interface Instance {
  db: TestDatabase;
  pg: Client;
  service: RunningService;
  client: Payments;
  /** Its topics and consumer groups carry this prefix: each instance takes only the commands sent to it. */
  prefix: string;
}

interface DeadLetter {
  event: IntegrationEvent;
  headers: Record<string, string>;
}

const createCommand = (orderId: string, amount = 2500, currency = 'EUR', customerEmail = 'ada@example.com') =>
  createEvent('payment.create', orderId, { orderId, amount: { amount, currency }, customerEmail });
const cancelCommand = (orderId: string, reason: string) => createEvent('payment.cancel', orderId, { orderId, reason });
/** An envelope whose payload its schema refuses. */
const malformed = (type: EventType, payload: Record<string, unknown>): IntegrationEvent => createEvent(type, randomUUID(), payload as never);

describe('payment service against real Postgres, Kafka and stripe-mock', () => {
  const instances: Instance[] = [];
  let stripeSide: Instance;
  let testSide: Instance;
  let autoSide: Instance;
  let bus: KafkaEventBus;
  const events: IntegrationEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  const stripe = new Stripe('sk_test_123');
  const run = uniqueName('pay');

  async function start(name: string, env: Record<string, string>): Promise<Instance> {
    const db = await createTestDatabase(name);
    const prefix = `${uniqueName(name)}.`;
    const config = paymentConfigSchema.parse({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testInfra().kafkaBrokers,
      EVENT_GROUP_PREFIX: prefix,
      EVENT_TOPIC_PREFIX: prefix,
      HOST: '127.0.0.1',
      GRPC_PORT: '0',
      HTTP_PORT: '0',
      ...env,
    });
    const service = await startService({ name: 'payment', config, module: PaymentModule });
    const client = new GrpcDownstream('payment', paymentV1.PaymentServiceService, {
      target: `127.0.0.1:${service.grpcPort}`,
      deadlineMs: 30_000,
      breaker: { failureThreshold: 1000, openMs: 1000 },
    });
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const instance = { db, pg, service, client, prefix };
    instances.push(instance);
    return instance;
  }

  beforeAll(async () => {
    const mock = startStripeMock();
    [stripeSide, testSide, autoSide] = await Promise.all([
      start('payment_it', {
        STRIPE_SECRET_KEY: 'sk_test_123',
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_HOST: mock.hostname,
        STRIPE_API_PORT: mock.port,
        STRIPE_API_PROTOCOL: mock.protocol.replace(':', ''),
      }),
      start('payment_test_it', {}),
      start('payment_auto_it', { PAYMENT_TEST_AUTO_COMPLETE: 'true' }),
    ]);
    const { kafkaBrokers } = testInfra();
    bus = new KafkaEventBus({ brokers: kafkaBrokers.split(','), clientId: `${run}-test`, logger: createLogger('payment-it', 'silent') });
    // The raw bus adds no prefix: the topic names carry each instance's.
    await bus.subscribe({
      groupId: `${run}-test-observer`,
      topics: instances.flatMap(({ prefix }) => [...PAYMENT_TOPICS.map((topic) => `${prefix}${topic}`), `${prefix}${COMMAND_TOPIC}.dlq`]),
      handler: async (event, message) => {
        if (message.topic.endsWith('.dlq')) deadLetters.push({ event, headers: message.headers });
        else events.push(event);
      },
    });
  });

  afterAll(async () => {
    await bus?.close();
    for (const instance of instances) {
      instance.client.close();
      await instance.pg.end();
      await instance.service.stop();
      await instance.db.drop();
    }
  });

  const eventFor = (type: string, orderId: string, matches: (payload: Record<string, unknown>) => boolean = () => true) =>
    eventually(
      async () => events.find((e) => e.type === type && e.aggregateId === orderId && matches(e.payload as Record<string, unknown>)),
      30_000,
      `${type} for ${orderId} on Kafka`,
    );

  /** Sends commands to one instance as the order service's outbox does: on payment's command topic, keyed by order id (or by `key`). */
  async function send(side: Instance, commands: IntegrationEvent[], key?: string): Promise<void> {
    await bus.publish(
      commands.map((command) => ({ topic: `${side.prefix}${topicOf(command.type as EventType)}`, key: key ?? command.aggregateId, value: JSON.stringify(command), headers: {} })),
    );
  }

  /**
   * Resolves once every command sent so far to `side` on `key` has been handled: one key's commands
   * are handled in order, so a probe sent behind them is answered after them. For commands whose
   * effect is that nothing happens.
   */
  async function handled(side: Instance, key: string): Promise<void> {
    const probe = randomUUID();
    await send(side, [createCommand(probe, 100)], key);
    await eventFor('payment.created', probe);
  }

  /** Every event the order's payment caused, in order: the outbox holds them from the moment the change committed. */
  const written = async (side: Instance, orderId: string) =>
    (await side.pg.query('SELECT type FROM outbox_events WHERE key = $1 ORDER BY seq', [orderId])).rows.map((row) => row.type as string);

  const deadLetter = (command: IntegrationEvent) =>
    eventually(async () => deadLetters.find((dead) => dead.event.id === command.id), 30_000, `${command.type} ${command.id} dead-lettered`);

  /** A Stripe webhook as Stripe would send it, signed with the endpoint's secret. */
  function webhook(type: string, payment: paymentV1.Payment, object: Record<string, unknown> = {}, secret = WEBHOOK_SECRET) {
    const event = {
      id: `evt_${randomUUID().replace(/-/g, '')}`,
      object: 'event',
      api_version: '2025-01-27.acacia',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      type,
      data: { object: { id: payment.providerPaymentId, object: 'payment_intent', amount: payment.amount?.amount, metadata: { orderId: payment.orderId }, ...object } },
    };
    const payload = JSON.stringify(event);
    return { id: event.id, payload: Buffer.from(payload), signature: stripe.webhooks.generateTestHeaderString({ payload, secret }) };
  }

  const deliver = (hook: { payload: Buffer; signature: string }) => stripeSide.client.call('handleStripeWebhook', { payload: hook.payload, signature: hook.signature });

  /** The order's payment, asked for as the checkout saga does; answered once payment.created says the provider holds it. */
  async function create(side: Instance, orderId: string, amount = 2500, currency = 'EUR'): Promise<paymentV1.Payment> {
    await send(side, [createCommand(orderId, amount, currency)]);
    await eventFor('payment.created', orderId);
    return side.client.call('getPayment', { paymentId: '', orderId });
  }

  const ledger = async (side: Instance, paymentId: string) =>
    (await side.client.call('listTransactions', { paymentId })).items.map((t) => [t.kind, t.amount?.amount]);

  async function paidStripePayment(name: string, amount: number): Promise<paymentV1.Payment> {
    const payment = await create(stripeSide, randomUUID(), amount);
    expect(await deliver(webhook('payment_intent.succeeded', payment, { latest_charge: `ch_${name}` }))).toMatchObject({ handled: true });
    return stripeSide.client.call('getPayment', { paymentId: payment.id, orderId: '' });
  }

  it('serves health and metrics', async () => {
    const ready = await fetch(`http://127.0.0.1:${stripeSide.service.httpPort}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { postgres: { status: 'ok' } } });
    const metrics = await (await fetch(`http://127.0.0.1:${stripeSide.service.httpPort}/metrics`)).text();
    expect(metrics).toContain('grpc_server_handled_total');
  });

  it('creates one Stripe payment intent per order on payment.create, through stripe-mock, and says so in payment.created', async () => {
    const orderId = randomUUID();
    const ask = createCommand(orderId, 2500, 'eur');
    // Delivered twice, as at-least-once delivery may.
    await send(stripeSide, [ask, ask]);
    const created = await eventFor('payment.created', orderId);
    const payment = await stripeSide.client.call('getPayment', { paymentId: '', orderId });
    expect(payment).toMatchObject({
      orderId,
      status: 'requires_payment',
      amount: { amount: 2500, currency: 'EUR' },
      amountRefunded: { amount: 0, currency: 'EUR' },
      provider: 'stripe',
      failureReason: '',
    });
    expect(payment.providerPaymentId).toMatch(/^pi_/);
    expect(payment.clientSecret).toMatch(/_secret_/);
    expect(created).toMatchObject({
      version: 1,
      payload: { orderId, paymentId: payment.id, provider: 'stripe', status: 'requires_payment', clientSecret: payment.clientSecret, amount: { amount: 2500, currency: 'EUR' } },
    });
    // Asked again, even for another amount (logged for a person to look at): one payment, one payment.created.
    await send(stripeSide, [createCommand(orderId, 2500, 'EUR'), createCommand(orderId, 2600), ask]);
    await handled(stripeSide, orderId);
    expect(await stripeSide.client.call('getPayment', { paymentId: '', orderId })).toEqual(payment);
    expect(await written(stripeSide, orderId)).toEqual(['payment.created']);
    expect(events.filter((e) => e.type === 'payment.created' && e.aggregateId === orderId)).toHaveLength(1);
    const { rows } = await stripeSide.pg.query('SELECT count(*)::int AS n FROM payments WHERE order_id = $1', [orderId]);
    expect(rows[0].n).toBe(1);

    // A burst of them for one order.
    const racedId = randomUUID();
    await send(stripeSide, Array.from({ length: 5 }, () => createCommand(racedId, 100)));
    await eventFor('payment.created', racedId);
    await handled(stripeSide, racedId);
    expect(await written(stripeSide, racedId)).toEqual(['payment.created']);

    expect(await stripeSide.client.call('getPayment', { paymentId: payment.id, orderId: '' })).toEqual(payment);
    expect(await stripeSide.client.call('getPayment', { paymentId: payment.id, orderId })).toEqual(payment);
    expect((await stripeSide.client.call('listTransactions', { paymentId: payment.id })).items).toEqual([]);
    expect(await grpcCode(stripeSide.client.call('getPayment', { paymentId: randomUUID(), orderId: '' }))).toBe(status.NOT_FOUND);
    expect(await grpcCode(stripeSide.client.call('getPayment', { paymentId: '', orderId: randomUUID() }))).toBe(status.NOT_FOUND);
  });

  it('dead-letters commands its schema refuses, with the reason, and makes no payment for them', async () => {
    const orderId = randomUUID();
    const money = { amount: 100, currency: 'EUR' };
    const refused: Array<[IntegrationEvent, string]> = [
      [malformed('payment.create', { orderId: 'order-1', amount: money, customerEmail: 'ada@example.com' }), 'invalid payment.create payload: orderId:'],
      [malformed('payment.create', { orderId, customerEmail: 'ada@example.com' }), 'invalid payment.create payload: amount:'],
      [malformed('payment.create', { orderId, amount: { amount: 1.5, currency: 'EUR' }, customerEmail: 'ada@example.com' }), 'invalid payment.create payload: amount.amount:'],
      [malformed('payment.create', { orderId, amount: { amount: 100, currency: 'EURO' }, customerEmail: 'ada@example.com' }), 'invalid payment.create payload: amount.currency:'],
      [malformed('payment.create', { orderId, amount: money }), 'invalid payment.create payload: customerEmail:'],
      [{ ...createCommand(orderId, 100), version: 2 }, 'payment.create v2 is not understood'],
      [malformed('payment.cancel', { orderId: '', reason: 'x' }), 'invalid payment.cancel payload: orderId:'],
      [malformed('payment.cancel', { orderId }), 'invalid payment.cancel payload: reason:'],
    ];
    await send(stripeSide, refused.map(([command]) => command));
    for (const [command, reason] of refused) {
      const dead = await deadLetter(command);
      expect(dead.headers['x-dead-letter-reason']).toContain(reason);
      expect(dead.headers).toMatchObject({ 'x-original-topic': `${stripeSide.prefix}${COMMAND_TOPIC}`, 'x-dead-letter-group': `${stripeSide.prefix}${PAYMENT_COMMANDS_CONSUMER}` });
      expect(dead.event).toEqual(command);
    }
    expect(await grpcCode(stripeSide.client.call('getPayment', { paymentId: '', orderId }))).toBe(status.NOT_FOUND);
    expect(await written(stripeSide, orderId)).toEqual([]);
  });

  it('makes no payment for amounts its schema allows but no provider takes, and dead-letters nothing', async () => {
    const cases = [
      [0, 'EUR'],
      [-1, 'EUR'],
      [100_000_000, 'EUR'],
      [100, 'XYZ'],
    ] as const;
    const orderIds = cases.map(() => randomUUID());
    await send(stripeSide, cases.map(([amount, currency], i) => createCommand(orderIds[i]!, amount, currency)));
    for (const orderId of orderIds) {
      await handled(stripeSide, orderId);
      expect(await grpcCode(stripeSide.client.call('getPayment', { paymentId: '', orderId }))).toBe(status.NOT_FOUND);
      expect(await written(stripeSide, orderId)).toEqual([]);
      expect(deadLetters.filter((dead) => dead.event.aggregateId === orderId)).toEqual([]);
    }
  });

  it('refuses malformed requests with INVALID_ARGUMENT', async () => {
    const calls: Array<Promise<unknown>> = [
      stripeSide.client.call('getPayment', { paymentId: '', orderId: '' }),
      stripeSide.client.call('getPayment', { paymentId: 'not-a-uuid', orderId: '' }),
      stripeSide.client.call('refundPayment', { paymentId: randomUUID(), amount: 1, reason: '', idempotencyKey: '' }),
      stripeSide.client.call('refundPayment', { paymentId: randomUUID(), amount: -1, reason: '', idempotencyKey: 'k' }),
      stripeSide.client.call('listTransactions', { paymentId: 'x' }),
      testSide.client.call('completeTestPayment', { paymentId: randomUUID(), outcome: 'maybe' }),
    ];
    for (const call of calls) expect(await grpcCode(call)).toBe(status.INVALID_ARGUMENT);
  });

  it('applies a success webhook once however often it is delivered, and a late failure changes nothing', async () => {
    const payment = await create(stripeSide, randomUUID(), 4200);
    const success = webhook('payment_intent.succeeded', payment, { latest_charge: 'ch_paid' });
    const answers = [await deliver(success), await deliver(success), await deliver(success)];
    expect(answers).toEqual([
      { eventId: success.id, handled: true },
      { eventId: success.id, handled: false },
      { eventId: success.id, handled: false },
    ]);
    // And concurrently: still once.
    const again = webhook('payment_intent.succeeded', payment, { latest_charge: 'ch_paid' });
    const concurrent = await Promise.all([1, 2, 3].map(() => deliver(again)));
    expect(concurrent.filter((a) => a.handled)).toHaveLength(1);
    const paid = await stripeSide.client.call('getPayment', { paymentId: payment.id, orderId: '' });
    expect(paid).toMatchObject({ status: 'succeeded', failureReason: '' });
    expect(await ledger(stripeSide, payment.id)).toEqual([['charge', 4200]]);
    const { rows } = await stripeSide.pg.query('SELECT provider_reference FROM payment_transactions WHERE payment_id = $1', [payment.id]);
    expect(rows).toEqual([{ provider_reference: 'ch_paid' }]);
    expect(await eventFor('payment.succeeded', payment.orderId)).toMatchObject({
      version: 1,
      payload: { orderId: payment.orderId, paymentId: payment.id, amount: { amount: 4200, currency: 'EUR' } },
    });

    const failure = webhook('payment_intent.payment_failed', payment, { last_payment_error: { message: 'Your card was declined.' } });
    expect(await deliver(failure)).toEqual({ eventId: failure.id, handled: true });
    expect(await stripeSide.client.call('getPayment', { paymentId: payment.id, orderId: '' })).toMatchObject({ status: 'succeeded', failureReason: '' });
    expect(await ledger(stripeSide, payment.id)).toEqual([['charge', 4200]]);
    // Every event the payment caused is in its outbox: no payment.failed among them.
    expect(await written(stripeSide, payment.orderId)).toEqual(['payment.created', 'payment.succeeded']);
  });

  it('lets a failed attempt be followed by a success on the same intent', async () => {
    const payment = await create(stripeSide, randomUUID(), 1500);
    await deliver(webhook('payment_intent.payment_failed', payment, { last_payment_error: { message: 'Your card has insufficient funds.' } }));
    expect(await stripeSide.client.call('getPayment', { paymentId: payment.id, orderId: '' })).toMatchObject({
      status: 'failed',
      failureReason: 'Your card has insufficient funds.',
    });
    expect(await eventFor('payment.failed', payment.orderId)).toMatchObject({ payload: { paymentId: payment.id, reason: 'Your card has insufficient funds.' } });
    await deliver(webhook('payment_intent.succeeded', payment, { latest_charge: 'ch_retried' }));
    expect(await stripeSide.client.call('getPayment', { paymentId: payment.id, orderId: '' })).toMatchObject({ status: 'succeeded', failureReason: '' });
    await eventFor('payment.succeeded', payment.orderId);
    expect(await ledger(stripeSide, payment.id)).toEqual([
      ['failure', 1500],
      ['charge', 1500],
    ]);
    // The stale failure, redelivered late, changes nothing.
    await deliver(webhook('payment_intent.payment_failed', payment, { last_payment_error: { message: 'late' } }));
    expect((await stripeSide.client.call('getPayment', { paymentId: payment.id, orderId: '' })).status).toBe('succeeded');
  });

  it('refuses webhooks whose signature is missing, wrong or over other bytes', async () => {
    const payment = await create(stripeSide, randomUUID(), 900);
    const genuine = webhook('payment_intent.succeeded', payment);
    const forged = webhook('payment_intent.succeeded', payment, {}, 'whsec_not_ours');
    const tampered = Buffer.from(genuine.payload.toString().replace('"amount":900', '"amount":1'));
    expect(tampered.equals(genuine.payload)).toBe(false);
    for (const attempt of [
      { payload: genuine.payload, signature: '' },
      { payload: genuine.payload, signature: 't=1,v1=deadbeef' },
      { payload: forged.payload, signature: forged.signature },
      { payload: tampered, signature: genuine.signature },
      { payload: Buffer.alloc(0), signature: genuine.signature },
    ]) {
      expect(await grpcCode(deliver(attempt))).toBe(status.UNAUTHENTICATED);
    }
    expect((await stripeSide.client.call('getPayment', { paymentId: payment.id, orderId: '' })).status).toBe('requires_payment');
    const { rows } = await stripeSide.pg.query('SELECT count(*)::int AS n FROM webhook_events WHERE id IN ($1, $2)', [genuine.id, forged.id]);
    expect(rows[0].n).toBe(0);
  });

  it('acknowledges webhooks it does not act on', async () => {
    const payment = await create(stripeSide, randomUUID(), 700);
    const other = webhook('customer.created', payment);
    expect(await deliver(other)).toEqual({ eventId: other.id, handled: false });
    const stranger = webhook('payment_intent.succeeded', { ...payment, providerPaymentId: 'pi_not_ours', orderId: randomUUID() });
    expect(await deliver(stranger)).toEqual({ eventId: stranger.id, handled: false });
    expect((await stripeSide.client.call('getPayment', { paymentId: payment.id, orderId: '' })).status).toBe('requires_payment');
  });

  it('refunds in part and in full through Stripe, once per key, never more than was paid', async () => {
    const payment = await paidStripePayment('refund', 1000);
    expect(await grpcCode(stripeSide.client.call('refundPayment', { paymentId: payment.id, amount: 1001, reason: '', idempotencyKey: 'k0' }))).toBe(
      status.FAILED_PRECONDITION,
    );
    const partial = await Promise.all(
      [1, 2, 3].map(() => stripeSide.client.call('refundPayment', { paymentId: payment.id, amount: 300, reason: 'damaged', idempotencyKey: 'k1' })),
    );
    for (const answer of partial) expect(answer).toMatchObject({ status: 'partially_refunded', amountRefunded: { amount: 300, currency: 'EUR' } });
    expect(await stripeSide.client.call('refundPayment', { paymentId: payment.id, amount: 300, reason: 'damaged', idempotencyKey: 'k1' })).toMatchObject({
      amountRefunded: { amount: 300 },
    });
    expect(await grpcCode(stripeSide.client.call('refundPayment', { paymentId: payment.id, amount: 701, reason: '', idempotencyKey: 'k2' }))).toBe(
      status.FAILED_PRECONDITION,
    );
    const rest = await stripeSide.client.call('refundPayment', { paymentId: payment.id, amount: 0, reason: 'returned', idempotencyKey: 'k3' });
    expect(rest).toMatchObject({ status: 'refunded', amountRefunded: { amount: 1000 } });
    expect(await grpcCode(stripeSide.client.call('refundPayment', { paymentId: payment.id, amount: 0, reason: '', idempotencyKey: 'k4' }))).toBe(
      status.FAILED_PRECONDITION,
    );
    expect(await ledger(stripeSide, payment.id)).toEqual([
      ['charge', 1000],
      ['refund', 300],
      ['refund', 700],
    ]);
    const { rows } = await stripeSide.pg.query(
      `SELECT p.amount_refunded,
              (SELECT sum(amount)::int FROM payment_transactions t WHERE t.payment_id = p.id AND kind = 'refund') AS refunds,
              (SELECT array_agg(provider_reference) FROM payment_transactions t WHERE t.payment_id = p.id AND kind = 'refund') AS refs
         FROM payments p WHERE p.id = $1`,
      [payment.id],
    );
    expect(rows[0].amount_refunded).toBe(rows[0].refunds);
    for (const reference of rows[0].refs) expect(reference).toMatch(/^re_/);
    expect(await eventFor('payment.refunded', payment.orderId, (p) => p.full === false)).toMatchObject({
      payload: { amount: { amount: 300, currency: 'EUR' }, totalRefunded: { amount: 300, currency: 'EUR' }, full: false },
    });
    expect(await eventFor('payment.refunded', payment.orderId, (p) => p.full === true)).toMatchObject({
      payload: { amount: { amount: 700, currency: 'EUR' }, totalRefunded: { amount: 1000, currency: 'EUR' }, full: true },
    });
    const unpaid = await create(stripeSide, randomUUID(), 500);
    expect(await grpcCode(stripeSide.client.call('refundPayment', { paymentId: unpaid.id, amount: 0, reason: '', idempotencyKey: 'k' }))).toBe(
      status.FAILED_PRECONDITION,
    );
    expect(await grpcCode(stripeSide.client.call('refundPayment', { paymentId: randomUUID(), amount: 0, reason: '', idempotencyKey: 'k' }))).toBe(
      status.NOT_FOUND,
    );
  });

  it('mirrors a refund made in the Stripe dashboard once; its own refunds echoed back change nothing', async () => {
    const refundHook = (type: string, payment: paymentV1.Payment, refund: { id: string; amount: number; status?: string }) =>
      webhook(type, payment, { object: 'refund', payment_intent: payment.providerPaymentId, metadata: {}, status: 'succeeded', reason: 'requested_by_customer', ...refund });

    // A refund can only follow a success: one that overtakes it is refused, so Stripe sends it again.
    const unpaid = await create(stripeSide, randomUUID(), 900);
    expect(await grpcCode(deliver(refundHook('refund.created', unpaid, { id: 're_early', amount: 100 })))).toBe(status.ABORTED);
    expect((await stripeSide.client.call('getPayment', { paymentId: unpaid.id, orderId: '' })).amountRefunded?.amount ?? 0).toBe(0);

    const payment = await paidStripePayment('dashboard', 1000);
    const dashboard = refundHook('refund.created', payment, { id: `re_dash_${run}`, amount: 400 });
    expect(await deliver(dashboard)).toMatchObject({ handled: true });
    expect(await deliver(dashboard)).toMatchObject({ handled: false });
    // The same refund again, as refund.updated once it settles: still one refund.
    expect(await deliver(refundHook('refund.updated', payment, { id: `re_dash_${run}`, amount: 400 }))).toMatchObject({ handled: true });
    // A failed refund moved no money.
    expect(await deliver(refundHook('refund.created', payment, { id: `re_failed_${run}`, amount: 100, status: 'failed' }))).toMatchObject({ handled: false });
    expect(await stripeSide.client.call('getPayment', { paymentId: payment.id, orderId: '' })).toMatchObject({
      status: 'partially_refunded',
      amountRefunded: { amount: 400, currency: 'EUR' },
    });
    expect(await eventFor('payment.refunded', payment.orderId)).toMatchObject({ payload: { amount: { amount: 400 }, totalRefunded: { amount: 400 }, full: false } });

    // Our own refund of the rest, then Stripe's webhook about it: recorded once.
    const rest = await stripeSide.client.call('refundPayment', { paymentId: payment.id, amount: 0, reason: 'returned', idempotencyKey: 'rest' });
    expect(rest).toMatchObject({ status: 'refunded', amountRefunded: { amount: 1000 } });
    const { rows } = await stripeSide.pg.query(`SELECT provider_reference FROM payment_transactions WHERE payment_id = $1 AND amount = 600`, [payment.id]);
    expect(await deliver(refundHook('refund.created', payment, { id: rows[0].provider_reference, amount: 600 }))).toMatchObject({ handled: true });
    expect(await ledger(stripeSide, payment.id)).toEqual([
      ['charge', 1000],
      ['refund', 400],
      ['refund', 600],
    ]);
    expect(await eventFor('payment.refunded', payment.orderId, (p) => p.full === true)).toMatchObject({ payload: { amount: { amount: 600 }, totalRefunded: { amount: 1000 } } });
    expect((await written(stripeSide, payment.orderId)).filter((type) => type === 'payment.refunded')).toHaveLength(2);
  });

  it('cancels an unpaid payment and refunds a paid one in full on payment.cancel, however often it is delivered', async () => {
    const unpaid = await create(stripeSide, randomUUID(), 800);
    const cancel = cancelCommand(unpaid.orderId, 'changed my mind');
    await send(stripeSide, [cancel, cancel, cancelCommand(unpaid.orderId, 'again')]);
    expect(await eventFor('payment.canceled', unpaid.orderId)).toMatchObject({ version: 1, payload: { orderId: unpaid.orderId, paymentId: unpaid.id, reason: 'changed my mind' } });
    await handled(stripeSide, unpaid.orderId);
    expect((await stripeSide.client.call('getPayment', { paymentId: unpaid.id, orderId: '' })).status).toBe('canceled');
    expect(await written(stripeSide, unpaid.orderId)).toEqual(['payment.created', 'payment.canceled']);
    // A success reported after the cancellation cannot revive it.
    await deliver(webhook('payment_intent.succeeded', unpaid));
    expect((await stripeSide.client.call('getPayment', { paymentId: unpaid.id, orderId: '' })).status).toBe('canceled');
    expect(await ledger(stripeSide, unpaid.id)).toEqual([['cancel', 800]]);

    const paid = await paidStripePayment('cancel-paid', 1200);
    const refund = cancelCommand(paid.orderId, 'out of stock');
    await send(stripeSide, [refund, refund, cancelCommand(paid.orderId, 'again')]);
    expect(await eventFor('payment.refunded', paid.orderId)).toMatchObject({
      payload: { orderId: paid.orderId, paymentId: paid.id, amount: { amount: 1200, currency: 'EUR' }, totalRefunded: { amount: 1200, currency: 'EUR' }, full: true },
    });
    await handled(stripeSide, paid.orderId);
    expect(await stripeSide.client.call('getPayment', { paymentId: paid.id, orderId: '' })).toMatchObject({ status: 'refunded', amountRefunded: { amount: 1200 } });
    expect(await written(stripeSide, paid.orderId)).toEqual(['payment.created', 'payment.succeeded', 'payment.refunded']);
    expect(await ledger(stripeSide, paid.id)).toEqual([
      ['charge', 1200],
      ['refund', 1200],
    ]);
    const { rows } = await stripeSide.pg.query(`SELECT provider_reference FROM payment_transactions WHERE payment_id = $1 AND kind = 'refund'`, [paid.id]);
    expect(rows[0].provider_reference).toMatch(/^re_/);
  });

  it('does nothing on payment.cancel for an order without a payment: no error, no event', async () => {
    const orderId = randomUUID();
    await send(stripeSide, [cancelCommand(orderId, 'payment timeout')]);
    await handled(stripeSide, orderId);
    expect(await grpcCode(stripeSide.client.call('getPayment', { paymentId: '', orderId }))).toBe(status.NOT_FOUND);
    expect(await written(stripeSide, orderId)).toEqual([]);
    expect(deadLetters.filter((dead) => dead.event.aggregateId === orderId)).toEqual([]);
    expect(events.filter((event) => event.aggregateId === orderId)).toEqual([]);
  });

  it('completes test payments by hand through the same state machine, and cancels them', async () => {
    const orderId = randomUUID();
    await send(testSide, [createCommand(orderId, 3100, 'GBP')]);
    const created = await eventFor('payment.created', orderId);
    const payment = await testSide.client.call('getPayment', { paymentId: '', orderId });
    expect(payment).toMatchObject({ provider: 'test', status: 'requires_payment' });
    expect(payment.providerPaymentId).toMatch(/^test_pi_[0-9a-f-]{36}$/);
    expect(payment.clientSecret).toContain(`${payment.providerPaymentId}_secret_`);
    expect(created.payload).toEqual({ orderId, paymentId: payment.id, provider: 'test', status: 'requires_payment', clientSecret: payment.clientSecret, amount: { amount: 3100, currency: 'GBP' } });
    const paid = await testSide.client.call('completeTestPayment', { paymentId: payment.id, outcome: 'succeeded' });
    expect(paid.status).toBe('succeeded');
    expect(await testSide.client.call('completeTestPayment', { paymentId: payment.id, outcome: 'succeeded' })).toEqual(paid);
    expect(await grpcCode(testSide.client.call('completeTestPayment', { paymentId: payment.id, outcome: 'failed' }))).toBe(status.FAILED_PRECONDITION);
    expect(await eventFor('payment.succeeded', payment.orderId)).toMatchObject({ payload: { amount: { amount: 3100, currency: 'GBP' } } });
    const refunded = await testSide.client.call('refundPayment', { paymentId: payment.id, amount: 100, reason: '', idempotencyKey: 'k' });
    expect(refunded).toMatchObject({ status: 'partially_refunded', amountRefunded: { amount: 100 } });
    // Cancelled after a partial refund: the rest goes back.
    await send(testSide, [cancelCommand(orderId, 'returned')]);
    expect(await eventFor('payment.refunded', orderId, (p) => p.full === true)).toMatchObject({ payload: { amount: { amount: 3000 }, totalRefunded: { amount: 3100 } } });
    expect(await testSide.client.call('getPayment', { paymentId: payment.id, orderId: '' })).toMatchObject({ status: 'refunded', amountRefunded: { amount: 3100 } });

    const declined = await create(testSide, randomUUID(), 500);
    expect(await testSide.client.call('completeTestPayment', { paymentId: declined.id, outcome: 'failed' })).toMatchObject({
      status: 'failed',
      failureReason: 'test payment declined',
    });
    await eventFor('payment.failed', declined.orderId);
    expect((await testSide.client.call('completeTestPayment', { paymentId: declined.id, outcome: 'succeeded' })).status).toBe('succeeded');
    expect(await ledger(testSide, declined.id)).toEqual([
      ['failure', 500],
      ['charge', 500],
    ]);

    const dropped = await create(testSide, randomUUID(), 700);
    await send(testSide, [cancelCommand(dropped.orderId, 'checkout timed out')]);
    expect(await eventFor('payment.canceled', dropped.orderId)).toMatchObject({ payload: { paymentId: dropped.id, reason: 'checkout timed out' } });
    expect(await grpcCode(testSide.client.call('completeTestPayment', { paymentId: dropped.id, outcome: 'succeeded' }))).toBe(status.FAILED_PRECONDITION);

    const stripePayment = await create(stripeSide, randomUUID(), 100);
    expect(await grpcCode(stripeSide.client.call('completeTestPayment', { paymentId: stripePayment.id, outcome: 'succeeded' }))).toBe(status.FAILED_PRECONDITION);
    expect(await grpcCode(testSide.client.call('handleStripeWebhook', { payload: Buffer.from('{}'), signature: 'x' }))).toBe(status.FAILED_PRECONDITION);
  });

  it('completes every test payment at once in auto-complete mode', async () => {
    const orderId = randomUUID();
    await send(autoSide, [createCommand(orderId, 1999)]);
    const succeeded = await eventFor('payment.succeeded', orderId);
    const created = await eventFor('payment.created', orderId);
    const payment = await autoSide.client.call('getPayment', { paymentId: '', orderId });
    expect(payment).toMatchObject({ provider: 'test', status: 'succeeded' });
    expect(created.payload).toMatchObject({ orderId, paymentId: payment.id, provider: 'test', clientSecret: payment.clientSecret });
    expect(succeeded.payload).toEqual({ orderId, paymentId: payment.id, amount: { amount: 1999, currency: 'EUR' } });
    // Asked again: nothing more.
    await send(autoSide, [createCommand(orderId, 1999)]);
    await handled(autoSide, orderId);
    expect(await autoSide.client.call('getPayment', { paymentId: '', orderId })).toEqual(payment);
    expect(await ledger(autoSide, payment.id)).toEqual([['charge', 1999]]);
    expect(await written(autoSide, orderId)).toEqual(['payment.created', 'payment.succeeded']);
  });

  it('has a database that refuses impossible amounts even if the code were wrong', async () => {
    const payment = await paidStripePayment('guarded', 500);
    const violation = (sql: string) => stripeSide.pg.query(sql, [payment.id]).then(() => 'accepted', (error: { code?: string }) => error.code);
    expect(await violation('UPDATE payments SET amount_refunded = 501 WHERE id = $1')).toBe('23514');
    expect(await violation('UPDATE payments SET amount_refunded = -1 WHERE id = $1')).toBe('23514');
    expect(await violation('UPDATE payments SET amount = -1, amount_refunded = 0 WHERE id = $1')).toBe('23514');
    expect(await violation(`UPDATE payments SET status = 'lost' WHERE id = $1`)).toBe('23514');
    expect(await violation(`INSERT INTO payment_transactions (id, payment_id, kind, amount, currency) VALUES (gen_random_uuid(), $1, 'refund', -5, 'EUR')`)).toBe('23514');
  });
});
