import { status } from '@grpc/grpc-js';
import { createEvent, type EventCatalog, type EventType, type IntegrationEvent, notificationV1, topicOf } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { KafkaEventBus } from '@shop/messaging';
import { createLogger } from '@shop/observability';
import { type RunningService, startService } from '@shop/service-kit';
import { createTestDatabase, eventually, findSchemaDrift, grpcCode, Mailpit, type TestDatabase, testInfra, uniqueName } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { createServer, type Server, Socket } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { AbandonedCartScheduler } from '../src/carts/abandoned-cart-scheduler';
import { notificationConfigSchema } from '../src/config';
import { MailDispatcher } from '../src/mail/mail-dispatcher';
import { NotificationModule } from '../src/notification.module';
import { type StandIns, startStandIns } from './stand-ins';

type Notifications = GrpcDownstream<typeof notificationV1.NotificationServiceService>;

/** French and others put narrow no-break spaces in amounts: compare with plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

/** One instance of the service, its database and the run's topics (a prefix of its own). */
interface Instance {
  service: RunningService;
  db: TestDatabase;
  pg: Client;
  prefix: string;
  api: Notifications;
}

describe('notification service against real Postgres, Kafka and Mailpit', () => {
  const run = uniqueName('notify');
  const mailpit = new Mailpit();
  let standIns: StandIns;
  let producer: KafkaEventBus;
  const instances: Instance[] = [];
  let main: Instance;

  async function startInstance(name: string, settings: Record<string, string>): Promise<Instance> {
    const db = await createTestDatabase(`notification_it_${name}`);
    const prefix = `${run}-${name}.`;
    const config = notificationConfigSchema.parse({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      GRPC_PORT: '0',
      HTTP_PORT: '0',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testInfra().kafkaBrokers,
      EVENT_TOPIC_PREFIX: prefix,
      EVENT_GROUP_PREFIX: prefix,
      USER_GRPC_URL: standIns.url,
      ORDER_GRPC_URL: standIns.url,
      MAIL_FROM: 'Shop <no-reply@shop.test>',
      EMAIL_POLL_INTERVAL_MS: '100',
      ...settings,
    });
    const service = await startService({ name: 'notification', config, module: NotificationModule });
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const api = new GrpcDownstream('notification', notificationV1.NotificationServiceService, {
      target: `127.0.0.1:${service.grpcPort}`,
      deadlineMs: 10_000,
      breaker: { failureThreshold: 1000, openMs: 1000 },
    });
    const instance = { service, db, pg, prefix, api };
    instances.push(instance);
    return instance;
  }

  beforeAll(async () => {
    standIns = await startStandIns();
    producer = new KafkaEventBus({ brokers: testInfra().kafkaBrokers.split(','), clientId: run, logger: createLogger('notification-it', 'silent') });
    main = await startInstance('main', {
      SMTP_URL: testInfra().mailpitSmtpUrl.replace('smtp://', 'smtp://shop:secret@'),
      ABANDONED_CART_AFTER: '1h',
      ABANDONED_CART_SCAN_INTERVAL_MS: '300',
    });
  });

  afterAll(async () => {
    for (const instance of instances) {
      instance.api.close();
      await instance.pg.end();
      await instance.service.stop();
      await instance.db.drop();
    }
    await producer?.close();
    await standIns?.stop();
  });

  /** Publishes an event as its owner would, on the instance's topics. */
  async function publish<K extends EventType>(type: K, aggregateId: string, payload: EventCatalog[K], on = main, event = createEvent(type, aggregateId, payload)): Promise<IntegrationEvent> {
    await producer.publish([{ topic: `${on.prefix}${topicOf(type)}`, key: aggregateId, value: JSON.stringify(event), headers: {} }]);
    return event;
  }

  /** A shopper the user service knows. */
  function shopper(locale: string, name = 'Sam'): { userId: string; email: string } {
    const userId = randomUUID();
    const email = `${run}-${locale}-${userId.slice(0, 8)}@example.com`.toLowerCase();
    standIns.profiles.set(userId, { email, name, locale });
    return { userId, email };
  }

  /** The mails sent to `address` once there are `count` of them. */
  const mailsTo = (address: string, count = 1, timeoutMs = 30_000) =>
    eventually(async () => {
      const found = await mailpit.to(address);
      return found.length >= count ? found : undefined;
    }, timeoutMs, `${count} mail(s) to ${address}`);

  const metric = async (instance: Instance, name: string, labels: Record<string, string>) => {
    const text = await (await fetch(`http://127.0.0.1:${instance.service.httpPort}/metrics`)).text();
    const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((label) => candidate.includes(label)));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  it('migrates to what the Prisma schema describes and serves health and metrics', async () => {
    expect(await findSchemaDrift(join(__dirname, '../../../prisma/notification/schema.prisma'), main.db.url)).toEqual([]);
    const base = `http://127.0.0.1:${main.service.httpPort}`;
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('grpc_server_handled_total');
  });

  it('mails each event in the recipient’s language, money formatted for their locale, and keeps it in the app', async () => {
    const welcome = shopper('fr', 'Amélie');
    const confirmed = shopper('de', 'Jörg');
    const cancelled = shopper('es', 'Lucía');
    const shipped = shopper('en-GB', 'Ada');
    const delivered = shopper('de-CH', 'Heidi');
    const refunded = shopper('fr-CA', 'Léa');
    const unknownLanguage = shopper('pt-BR', 'João');
    const [o1, o2, o3, o4, o5, o6] = Array.from({ length: 6 }, () => randomUUID());
    const eur = (amount: number) => ({ amount, currency: 'EUR' });
    standIns.orderOwners.set(o5!, refunded.userId);

    // Amélie chose French before her welcome was handled: the newer profile wins over the registration.
    await publish('user.profile_changed', welcome.userId, { profile: { userId: welcome.userId, email: welcome.email, name: 'Amélie', locale: 'fr', phone: '' } });
    await eventually(async () => ((await main.pg.query('SELECT 1 FROM recipients WHERE user_id = $1', [welcome.userId])).rowCount ? true : undefined), 30_000, 'the profile kept');
    await publish('user.registered', welcome.userId, { userId: welcome.userId, email: welcome.email, name: 'Amélie', registeredAt: new Date(Date.now() - 60_000).toISOString() });
    await publish('order.confirmed', o1!, { orderId: o1!, paymentId: randomUUID(), userId: confirmed.userId, total: eur(1250) });
    await publish('order.cancelled', o2!, { orderId: o2!, reason: 'out of stock: MUG', userId: cancelled.userId, total: eur(999) });
    await publish('order.shipped', o3!, { orderId: o3!, userId: shipped.userId, total: eur(4200) });
    await publish('order.delivered', o4!, { orderId: o4!, userId: delivered.userId, total: { amount: 125050, currency: 'CHF' } });
    // A refund says nothing of the shopper: the order service is asked whose order it is.
    await publish('payment.refunded', o5!, { orderId: o5!, paymentId: randomUUID(), amount: eur(500), totalRefunded: eur(500), full: false });
    await publish('order.confirmed', o6!, { orderId: o6!, paymentId: randomUUID(), userId: unknownLanguage.userId, total: { amount: 1500, currency: 'JPY' } });

    const ref = (orderId: string) => `#${orderId.slice(0, 8).toUpperCase()}`;
    const expected: Array<[string, string, string[]]> = [
      [welcome.email, 'Bienvenue chez Shop', ['Bonjour Amélie,', 'Votre compte est prêt.']],
      [confirmed.email, `Bestellung ${ref(o1!)} bestätigt`, ['Hallo Jörg,', 'Zahlung über 12,50 €']],
      [cancelled.email, `Pedido ${ref(o2!)} cancelado`, ['Hola, Lucía:', 'cancelado: out of stock: MUG']],
      [shipped.email, `Order ${ref(o3!)} shipped`, ['Hello Ada,', 'your order is on its way']],
      [delivered.email, `Bestellung ${ref(o4!)} zugestellt`, ['Hallo Heidi,']],
      [refunded.email, `Remboursement de la commande ${ref(o5!)}`, ['Bonjour Léa,', `Nous avons remboursé 5,00 € sur la commande ${ref(o5!)}`]],
      [unknownLanguage.email, `Order ${ref(o6!)} confirmed`, ['Hello João,', 'payment of ¥1,500']],
    ];
    for (const [address, subject, phrases] of expected) {
      const [summary] = await mailsTo(address);
      expect(summary!.Subject).toBe(subject);
      expect(summary!.From.Address).toBe('no-reply@shop.test');
      const mail = await mailpit.message(summary!.ID);
      for (const phrase of phrases) expect(plain(mail.Text)).toContain(phrase);
      expect(mail.HTML).toContain('<html lang=');
      expect(mail.HTML).toContain(subject.replace(/&/g, '&amp;'));
    }
    const germanMail = await mailpit.message((await mailsTo(confirmed.email))[0]!.ID);
    expect(germanMail.HTML).toContain('<html lang="de">');
    const headers = await mailpit.headers((await mailsTo(confirmed.email))[0]!.ID);
    expect(headers['Content-Language']).toEqual(['de']);
    expect(headers['X-Shop-Notification']).toEqual(['order.confirmed']);

    // The same notice in the app, in the same language.
    const inApp = await main.api.call('listNotifications', { userId: confirmed.userId, page: 1, limit: 20, unreadOnly: false });
    expect(inApp).toMatchObject({ total: 1, unread: 1, page: 1, limit: 20 });
    expect(inApp.items[0]).toMatchObject({ seq: 1, type: 'order.confirmed', title: `Bestellung ${ref(o1!)} bestätigt`, readAt: '' });
    expect(JSON.parse(inApp.items[0]!.dataJson)).toEqual({ orderId: o1, total: eur(1250) });
    expect(await metric(main, 'shop_notifications_sent_total', { channel: 'email', type: 'order.confirmed' })).toBeGreaterThanOrEqual(2);
    expect(await metric(main, 'shop_notifications_sent_total', { channel: 'in_app', type: 'payment.refunded' })).toBeGreaterThanOrEqual(1);
  });

  it('keeps each recipient’s address and locale from the user service’s events, and tells nobody of stale events', async () => {
    // The user service (played here) has no profile for this shopper: all the service knows comes from events.
    const userId = randomUUID();
    const first = `${run}-first-${userId.slice(0, 8)}@example.com`;
    const second = `${run}-second-${userId.slice(0, 8)}@example.com`;
    await publish('user.registered', userId, { userId, email: first, name: 'Rosa', registeredAt: new Date().toISOString() });
    expect((await mailsTo(first))[0]!.Subject).toBe('Welcome to Shop');
    await publish('user.profile_changed', userId, { profile: { userId, email: second, name: 'Rosa', locale: 'de-AT', phone: '' } });
    const orderId = randomUUID();
    await publish('order.shipped', orderId, { orderId, userId, total: { amount: 100, currency: 'EUR' } });
    expect((await mailsTo(second))[0]!.Subject).toBe(`Bestellung #${orderId.slice(0, 8).toUpperCase()} versandt`);
    const { rows } = await main.pg.query(`SELECT email, locale FROM recipients WHERE user_id = $1`, [userId]);
    expect(rows).toEqual([{ email: second, locale: 'de-AT' }]);

    // An event from two days ago (a first start on a platform with history) tells nobody.
    const stale = randomUUID();
    const old = { ...createEvent('order.shipped', stale, { orderId: stale, userId, total: { amount: 100, currency: 'EUR' } }), occurredAt: new Date(Date.now() - 2 * 86_400_000).toISOString() };
    await publish('order.shipped', stale, old.payload, main, old);
    const marker = randomUUID();
    await publish('order.delivered', marker, { orderId: marker, userId, total: { amount: 100, currency: 'EUR' } });
    const mails = await mailsTo(second, 2);
    expect(mails.map((mail) => mail.Subject).sort()).toEqual([
      `Bestellung #${marker.slice(0, 8).toUpperCase()} zugestellt`,
      `Bestellung #${orderId.slice(0, 8).toUpperCase()} versandt`,
    ].sort());
    expect(await metric(main, 'shop_notifications_stale_events_total', { type: 'order.shipped' })).toBeGreaterThanOrEqual(1);
  });

  it('retries an event whose shopper the user service does not know yet, holding up no one else', async () => {
    const late = { userId: randomUUID(), email: `${run}-late@example.com` };
    const known = shopper('en', 'Kim');
    const [lateOrder, knownOrder] = [randomUUID(), randomUUID()];
    // Published together: the batch fails on the unknown shopper, and its events are retried one by one.
    await producer.publish(
      [
        createEvent('order.shipped', lateOrder, { orderId: lateOrder, userId: late.userId, total: { amount: 100, currency: 'EUR' } }),
        createEvent('order.shipped', knownOrder, { orderId: knownOrder, userId: known.userId, total: { amount: 100, currency: 'EUR' } }),
      ].map((event) => ({ topic: `${main.prefix}order.shipped`, key: event.aggregateId, value: JSON.stringify(event), headers: {} })),
    );
    await mailsTo(known.email, 1, 15_000);
    expect(await mailpit.to(late.email)).toHaveLength(0);
    standIns.profiles.set(late.userId, { email: late.email, name: 'Lee', locale: 'fr' });
    expect((await mailsTo(late.email, 1, 60_000))[0]!.Subject).toBe(`Commande #${lateOrder.slice(0, 8).toUpperCase()} expédiée`);
  });

  it('sends nothing twice when an event is delivered again', async () => {
    const { userId, email } = shopper('en', 'Grace');
    const orderId = randomUUID();
    const event = createEvent('order.shipped', orderId, { orderId, userId, total: { amount: 100, currency: 'EUR' } });
    await publish('order.shipped', orderId, event.payload, main, event);
    await mailsTo(email);
    await publish('order.shipped', orderId, event.payload, main, event);
    await publish('order.shipped', orderId, event.payload, main, event);
    // A later event for the same shopper, on the same key: handled after the duplicates.
    await publish('order.delivered', orderId, { orderId, userId, total: { amount: 100, currency: 'EUR' } });
    const mails = await mailsTo(email, 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await mailpit.to(email)).map((mail) => mail.Subject).sort()).toEqual(mails.map((mail) => mail.Subject).sort());
    expect(mails.map((mail) => mail.Subject).sort()).toEqual([`Order #${orderId.slice(0, 8).toUpperCase()} delivered`, `Order #${orderId.slice(0, 8).toUpperCase()} shipped`]);
    const list = await main.api.call('listNotifications', { userId, page: 1, limit: 10, unreadOnly: false });
    expect(list.items.map((item) => [item.seq, item.type])).toEqual([
      [2, 'order.delivered'],
      [1, 'order.shipped'],
    ]);
    const { rows } = await main.pg.query(`SELECT count(*)::int AS n FROM email_deliveries WHERE user_id = $1`, [userId]);
    expect(rows[0].n).toBe(2);

    // Sent mail is kept EMAIL_RETENTION_DAYS (30), then deleted; the inbox still knows the events.
    await eventually(async () => ((await main.pg.query(`SELECT 1 FROM email_deliveries WHERE user_id = $1 AND status <> 'sent'`, [userId])).rowCount === 0 ? true : undefined));
    await main.pg.query(`UPDATE email_deliveries SET sent_at = now() - interval '31 days' WHERE user_id = $1 AND type = 'order.shipped'`, [userId]);
    expect(await main.service.app.get(MailDispatcher).cleanup(true)).toBeGreaterThanOrEqual(1);
    const kept = await main.pg.query(`SELECT type FROM email_deliveries WHERE user_id = $1`, [userId]);
    expect(kept.rows).toEqual([{ type: 'order.delivered' }]);
  });

  it('lists, resumes after a sequence number and marks read, never another shopper’s', async () => {
    const { userId } = shopper('en');
    const stranger = shopper('en');
    for (let i = 0; i < 3; i += 1) {
      const orderId = randomUUID();
      await publish('order.shipped', orderId, { orderId, userId, total: { amount: 100 + i, currency: 'EUR' } });
    }
    const page = await eventually(async () => {
      const listed = await main.api.call('listNotifications', { userId, page: 1, limit: 2, unreadOnly: false });
      return listed.total === 3 ? listed : undefined;
    }, 30_000, 'three notifications');
    expect(page.items.map((item) => item.seq)).toEqual([3, 2]);
    expect(page.unread).toBe(3);
    const since = await main.api.call('listNotificationsSince', { userId, afterSeq: 1, limit: 10 });
    expect(since.items.map((item) => item.seq)).toEqual([2, 3]);

    const read = await main.api.call('markRead', { userId, notificationId: page.items[0]!.id });
    expect(read.readAt).not.toBe('');
    expect((await main.api.call('markRead', { userId, notificationId: page.items[0]!.id })).readAt).toBe(read.readAt);
    expect((await main.api.call('listNotifications', { userId, page: 1, limit: 10, unreadOnly: false })).unread).toBe(2);
    expect((await main.api.call('listNotifications', { userId, page: 1, limit: 10, unreadOnly: true })).items.map((item) => item.seq)).toEqual([2, 1]);
    expect(await grpcCode(main.api.call('markRead', { userId: stranger.userId, notificationId: page.items[1]!.id }))).toBe(status.NOT_FOUND);
    expect(await grpcCode(main.api.call('markRead', { userId, notificationId: 'nope' }))).toBe(status.NOT_FOUND);
    expect(await main.api.call('markAllRead', { userId })).toEqual({ marked: 2, unread: 0 });
    expect((await main.api.call('listNotifications', { userId, page: 1, limit: 10, unreadOnly: false })).unread).toBe(0);
  });

  it('keeps preferences: order emails cannot be switched off, in-app ones can, marketing is opt-in', async () => {
    const { userId, email } = shopper('en');
    expect(await main.api.call('getPreferences', { userId })).toEqual({
      email: { orders: true, account: true, marketing: false },
      inApp: { orders: true, account: true, marketing: false },
    });
    const quiet = { email: { orders: true, account: false, marketing: true }, inApp: { orders: false, account: true, marketing: false } };
    expect(await main.api.call('updatePreferences', { userId, preferences: quiet })).toEqual(quiet);
    expect(await grpcCode(main.api.call('updatePreferences', { userId, preferences: { ...quiet, email: { ...quiet.email, orders: false } } }))).toBe(status.INVALID_ARGUMENT);
    expect(await main.api.call('getPreferences', { userId })).toEqual(quiet);

    const orderId = randomUUID();
    await publish('order.shipped', orderId, { orderId, userId, total: { amount: 100, currency: 'EUR' } });
    await mailsTo(email);
    expect((await main.api.call('listNotifications', { userId, page: 1, limit: 10, unreadOnly: false })).total).toBe(0);
    expect(await metric(main, 'shop_notifications_suppressed_total', { channel: 'in_app', type: 'order.shipped' })).toBeGreaterThanOrEqual(1);
  });

  it('reminds of an abandoned cart once, only shoppers who allowed marketing mail, from one scheduler', async () => {
    const keen = shopper('es', 'Marta');
    const shy = shopper('en', 'Tom');
    const marketing = { email: { orders: true, account: true, marketing: true }, inApp: { orders: true, account: true, marketing: true } };
    await main.api.call('updatePreferences', { userId: keen.userId, preferences: marketing });
    const startedAt = new Date(Date.now() - 3 * 3600_000).toISOString();
    const lines = [{ sku: 'MUG', name: 'Mug', quantity: 2, unitPrice: { amount: 1250, currency: 'EUR' } }];
    standIns.carts.set(keen.userId, { startedAt, lines });
    standIns.carts.set(shy.userId, { startedAt, lines });

    const [reminder] = await mailsTo(keen.email);
    expect(reminder!.Subject).toBe('Tu carrito te espera');
    expect(plain((await mailpit.message(reminder!.ID)).Text)).toContain('Dejaste 1 artículo en tu carrito, 25,00 € en total.');
    const inApp = await main.api.call('listNotifications', { userId: keen.userId, page: 1, limit: 10, unreadOnly: false });
    expect(inApp.items.map((item) => item.type)).toEqual(['cart.abandoned']);
    // Several more rounds: still one reminder for that cart, none for the shopper who did not opt in.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await mailpit.to(keen.email)).toHaveLength(1);
    expect(await mailpit.to(shy.email)).toHaveLength(0);
    // Opting in later: the cart still waiting gets its one reminder.
    await main.api.call('updatePreferences', { userId: shy.userId, preferences: { ...marketing, inApp: { ...marketing.inApp, marketing: false } } });
    expect((await mailsTo(shy.email))[0]!.Subject).toBe('Your cart is waiting for you');
    expect((await main.api.call('listNotifications', { userId: shy.userId, page: 1, limit: 10, unreadOnly: false })).total).toBe(0);
    // A new cart (lines added after the old one was emptied) is another cart.
    standIns.carts.set(keen.userId, { startedAt: new Date(Date.now() - 2 * 3600_000).toISOString(), lines });
    await mailsTo(keen.email, 2);
    standIns.carts.delete(keen.userId);
    standIns.carts.delete(shy.userId);

    // One scheduler across replicas: while this instance holds the lease, another replica does not lead.
    const { rows } = await main.pg.query(`SELECT holder FROM scheduler_leases WHERE name = 'abandoned-carts'`);
    const running = main.service.app.get(AbandonedCartScheduler);
    expect(rows).toEqual([{ holder: running.holder }]);
    const replica = new AbandonedCartScheduler(
      (running as unknown as { db: never }).db,
      undefined as never,
      undefined as never,
      undefined as never,
      undefined as never,
      { afterMs: 3600_000, intervalMs: 300, logger: createLogger('replica', 'silent') },
    );
    expect(await replica.lead()).toBe(false);
    expect(await running.lead()).toBe(true);
  });

  it('delivers late, and once, when the SMTP server was down', async () => {
    const relay = await tcpRelay(new URL(testInfra().mailpitSmtpUrl));
    const flaky = await startInstance('flaky', {
      SMTP_URL: `smtp://127.0.0.1:${relay.port}`,
      SMTP_TIMEOUT_MS: '2000',
      EMAIL_RETRY_INITIAL_MS: '200',
      EMAIL_RETRY_MAX_MS: '400',
      EMAIL_MAX_ATTEMPTS: '100',
    });
    const { userId, email } = shopper('de', 'Ute');
    const orderId = randomUUID();
    await publish('order.confirmed', orderId, { orderId, paymentId: randomUUID(), userId, total: { amount: 1999, currency: 'EUR' } }, flaky);
    const failing = await eventually(async () => {
      const { rows } = await flaky.pg.query(`SELECT status, attempts, last_error FROM email_deliveries WHERE user_id = $1`, [userId]);
      return rows[0] && rows[0].attempts >= 3 ? rows[0] : undefined;
    }, 30_000, 'three failed attempts');
    expect(failing).toMatchObject({ status: expect.stringMatching(/pending|sending/), last_error: expect.stringMatching(/ECONNREFUSED|connect/i) });
    expect(await mailpit.to(email)).toHaveLength(0);
    expect(await metric(flaky, 'shop_notifications_failed_total', { channel: 'email', type: 'order.confirmed' })).toBeGreaterThanOrEqual(3);

    relay.open();
    const [mail] = await mailsTo(email);
    expect(mail!.Subject).toMatch(/^Bestellung #[0-9A-F]{8} bestätigt$/);
    await eventually(async () => {
      const { rows } = await flaky.pg.query(`SELECT status FROM email_deliveries WHERE user_id = $1`, [userId]);
      return rows[0]?.status === 'sent' ? true : undefined;
    }, 10_000, 'the delivery marked sent');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await mailpit.to(email)).toHaveLength(1);
    await relay.close();
  });

  it('gives a mail up after its last attempt: dead-letter topic, metric, nothing lost', async () => {
    const closed = await closedPort();
    const doomed = await startInstance('doomed', { SMTP_URL: `smtp://127.0.0.1:${closed}`, EMAIL_RETRY_INITIAL_MS: '100', EMAIL_RETRY_MAX_MS: '100', EMAIL_MAX_ATTEMPTS: '2' });
    const deadLetters: IntegrationEvent[] = [];
    const listener = new KafkaEventBus({ brokers: testInfra().kafkaBrokers.split(','), clientId: `${run}-dlq`, logger: createLogger('dlq', 'silent') });
    await listener.subscribe({ groupId: `${doomed.prefix}dlq-reader`, topics: [`${doomed.prefix}notification.email.dlq`], handler: async (event) => void deadLetters.push(event) });
    try {
      const { userId, email } = shopper('en', 'Nobody');
      const orderId = randomUUID();
      await publish('order.shipped', orderId, { orderId, userId, total: { amount: 100, currency: 'EUR' } }, doomed);
      const dead = await eventually(async () => deadLetters.find((event) => (event.payload as { userId: string }).userId === userId), 60_000, 'the dead letter');
      expect(dead.type).toBe('notification.email.dlq');
      expect(dead.payload).toMatchObject({ userId, to: email, type: 'order.shipped', attempts: 2, reason: expect.stringMatching(/ECONNREFUSED|connect/i) });
      const { rows } = await doomed.pg.query(`SELECT status, attempts FROM email_deliveries WHERE user_id = $1`, [userId]);
      expect(rows).toEqual([{ status: 'dead', attempts: 2 }]);
      expect(await metric(doomed, 'shop_notifications_dead_letter_total', { channel: 'email', type: 'order.shipped' })).toBe(1);
      // The in-app notification was made all the same.
      expect((await doomed.api.call('listNotifications', { userId, page: 1, limit: 10, unreadOnly: false })).total).toBe(1);
    } finally {
      await listener.close();
    }
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A port that refuses connections until `open()`, then relays them to `target`: an SMTP server that comes back. */
async function tcpRelay(target: URL): Promise<{ port: number; open(): void; close(): Promise<void> }> {
  const port = await closedPort();
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  return {
    port,
    open() {
      server = createServer((client) => {
        const upstream = new Socket();
        sockets.add(client).add(upstream);
        upstream.connect(Number(target.port), target.hostname);
        client.pipe(upstream).pipe(client);
        const end = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
      });
      server.listen(port, '127.0.0.1');
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    },
  };
}
