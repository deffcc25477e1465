import { createEvent, type IntegrationEvent } from '@shop/contracts';
import {
  deadLetterTopic,
  type EventBus,
  handleOnce,
  KafkaEventBus,
  OutboxRelay,
  PostgresEventLog,
  toOutboxRow,
} from '@shop/messaging';
import { createLogger, ServiceMetrics } from '@shop/observability';
import { migrate, prismaDir } from '@shop/persistence';
import { createTestDatabase, eventually, repoRoot, type TestDatabase, testInfra, uniqueName } from '@shop/testing';
import { join } from 'node:path';
import { Client } from 'pg';

const logger = createLogger('messaging-test', 'silent');
const fastRetry = { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 50 };

interface BusUnderTest {
  name: string;
  create(metrics: ServiceMetrics): Promise<EventBus>;
}

let eventsDb: TestDatabase;

const buses: BusUnderTest[] = [
  {
    name: 'Kafka',
    create: async (metrics) => new KafkaEventBus({ brokers: testInfra().kafkaBrokers.split(','), clientId: uniqueName('it'), logger, metrics, retry: fastRetry }),
  },
  {
    name: 'Postgres event log',
    create: async (metrics) => new PostgresEventLog({ databaseUrl: eventsDb.url, logger, metrics, retry: fastRetry, pollIntervalMs: 200 }),
  },
];

beforeAll(async () => {
  eventsDb = await createTestDatabase('events');
});
afterAll(async () => {
  await eventsDb.drop();
});

function userEvent(userId: string, email: string): IntegrationEvent {
  return createEvent('user.registered', userId, { userId, email, name: '', registeredAt: new Date().toISOString() });
}

describe.each(buses)('$name event bus', ({ create }) => {
  let bus: EventBus;
  let metrics: ServiceMetrics;

  beforeEach(async () => {
    metrics = new ServiceMetrics('messaging-test');
    bus = await create(metrics);
    await bus.connect();
  });
  afterEach(async () => {
    await bus.close();
  });

  it('delivers to each group, from before the group first subscribed, in order per key', async () => {
    const topic = uniqueName('it.orders');
    const events = Array.from({ length: 10 }, (_, i) => userEvent('00000000-0000-4000-8000-00000000000a', `u${i}@x.io`));
    await bus.publish(events.map((event) => ({ topic, key: event.aggregateId, value: JSON.stringify(event), headers: {} })));
    const seenA: string[] = [];
    const seenB: string[] = [];
    await bus.subscribe({ groupId: uniqueName('group-a'), topics: [topic], handler: async (event) => void seenA.push(event.id) });
    await bus.subscribe({ groupId: uniqueName('group-b'), topics: [topic], handler: async (event) => void seenB.push(event.id) });
    await eventually(async () => (seenA.length === 10 && seenB.length === 10 ? true : undefined), 30_000, 'both groups got every event');
    expect(seenA).toEqual(events.map((e) => e.id));
    expect(seenB).toEqual(events.map((e) => e.id));
  });

  it('broadcasts to every subscriber of a broadcast group what was published after it subscribed', async () => {
    const topic = uniqueName('it.catalogue');
    const group = uniqueName('cache');
    const before = userEvent('00000000-0000-4000-8000-00000000000d', 'before@x.io');
    await bus.publish([{ topic, key: before.aggregateId, value: JSON.stringify(before), headers: {} }]);
    // Two replicas: two buses, as two processes would have.
    const other = await create(metrics);
    await other.connect();
    try {
      const seen: [string[], string[]] = [[], []];
      await bus.subscribe({ groupId: group, topics: [topic], broadcast: true, handler: async (event) => void seen[0].push(event.id) });
      await other.subscribe({ groupId: group, topics: [topic], broadcast: true, handler: async (event) => void seen[1].push(event.id) });
      // A Kafka consumer starts at the end of the log once it has joined; publish until both have seen one.
      const after: string[] = [];
      await eventually(
        async () => {
          if (seen.every((ids) => ids.length > 0)) return true;
          const event = userEvent('00000000-0000-4000-8000-00000000000e', `after${after.length}@x.io`);
          after.push(event.id);
          await bus.publish([{ topic, key: event.aggregateId, value: JSON.stringify(event), headers: {} }]);
          return undefined;
        },
        60_000,
        'both replicas got an event published after they subscribed',
      );
      for (const ids of seen) {
        expect(ids).not.toContain(before.id);
        expect(ids.every((id) => after.includes(id))).toBe(true);
      }
    } finally {
      await other.close();
    }
  });

  it('retries a failing handler, then moves the message to the dead-letter topic and goes on', async () => {
    const topic = uniqueName('it.poison');
    const group = uniqueName('group-poison');
    const poison = userEvent('00000000-0000-4000-8000-00000000000b', 'poison@x.io');
    const healthy = userEvent('00000000-0000-4000-8000-00000000000c', 'ok@x.io');
    await bus.publish([poison, healthy].map((e) => ({ topic, key: e.aggregateId, value: JSON.stringify(e), headers: {} })));
    let attempts = 0;
    const handled: string[] = [];
    const dead: Array<{ id: string; reason: string | undefined }> = [];
    await bus.subscribe({
      groupId: group,
      topics: [topic],
      handler: async (event) => {
        if (event.id === poison.id) {
          attempts += 1;
          throw new Error('cannot handle this one');
        }
        handled.push(event.id);
      },
    });
    await bus.subscribe({
      groupId: uniqueName('dlq-reader'),
      topics: [deadLetterTopic(topic)],
      handler: async (event, message) => void dead.push({ id: event.id, reason: message.headers['x-dead-letter-reason'] }),
    });
    await eventually(async () => (handled.length === 1 && dead.length === 1 ? true : undefined), 30_000, 'poison dead-lettered');
    expect(attempts).toBe(3);
    expect(handled).toEqual([healthy.id]);
    expect(dead).toEqual([{ id: poison.id, reason: 'cannot handle this one' }]);
    expect(await metrics.render()).toMatch(new RegExp(`shop_messaging_dead_letter_total\\{[^}]*topic="${topic.replace(/\./g, '\\.')}"[^}]*\\} 1`));
  });
});

describe.each(buses)('outbox relay and inbox over the $name bus', ({ create }) => {
  let producerDb: TestDatabase;
  let consumerDb: TestDatabase;

  beforeAll(async () => {
    producerDb = await createTestDatabase('outbox');
    consumerDb = await createTestDatabase('inbox');
    await migrate(producerDb.url, join(prismaDir('auth', repoRoot()), 'migrations'));
    await migrate(consumerDb.url, join(prismaDir('user', repoRoot()), 'migrations'));
  });
  afterAll(async () => {
    await producerDb.drop();
    await consumerDb.drop();
  });

  it('publishes events committed while no relay ran (a crash between commit and publish), exactly once per consumer', async () => {
    const producer = new Client({ connectionString: producerDb.url });
    await producer.connect();
    const topic = 'user.registered';
    const events = Array.from({ length: 5 }, (_, i) => userEvent(`00000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`, `o${i}@x.io`));
    // The domain write and its event commit together; then the process "dies" before any relay publishes.
    for (const event of events) {
      const row = toOutboxRow(event);
      await producer.query('INSERT INTO outbox_events (id, topic, key, type, payload, headers) VALUES ($1,$2,$3,$4,$5,$6)', [
        row.id,
        row.topic,
        row.key,
        row.type,
        JSON.stringify(row.payload),
        JSON.stringify(row.headers),
      ]);
    }

    const bus = await create(new ServiceMetrics('relay-test'));
    const relay = new OutboxRelay({ databaseUrl: producerDb.url, bus, logger, pollIntervalMs: 100 });
    const consumerDbClient = new Client({ connectionString: consumerDb.url });
    await consumerDbClient.connect();
    const inbox = {
      $transaction: async <R>(fn: (tx: { $executeRaw(q: TemplateStringsArray, ...v: unknown[]): Promise<number> }) => Promise<R>) => {
        await consumerDbClient.query('BEGIN');
        try {
          const result = await fn({
            $executeRaw: async (q, ...v) => (await consumerDbClient.query(q.reduce((sql, part, i) => sql + `$${i}` + part), v)).rowCount ?? 0,
          });
          await consumerDbClient.query('COMMIT');
          return result;
        } catch (error) {
          await consumerDbClient.query('ROLLBACK');
          throw error;
        }
      },
    };
    const effects: string[] = [];
    const seen = new Set(events.map((e) => e.id));
    try {
      await bus.subscribe({
        groupId: uniqueName('inbox-group'),
        topics: [topic],
        handler: async (event) => {
          if (!seen.has(event.id)) return;
          // Handled twice on purpose: a redelivery after a crash must change nothing.
          for (let i = 0; i < 2; i += 1) {
            await handleOnce(inbox, 'it-consumer', event.id, async () => void effects.push(event.id));
          }
        },
      });
      relay.start();
      await eventually(async () => (effects.length === 5 ? true : undefined), 30_000, 'every outbox event handled');
      // Marked published by the relay's next read, right after the bus acknowledged them.
      await eventually(
        async () => ((await producer.query('SELECT count(*)::int AS pending FROM outbox_events WHERE published_at IS NULL')).rows[0].pending === 0 ? true : undefined),
        5_000,
        'every outbox row marked published',
      );
      // Different keys may take different partitions: order is promised per key only.
      expect([...effects].sort()).toEqual(events.map((e) => e.id).sort());
      const inboxRows = await consumerDbClient.query("SELECT count(*)::int AS n FROM inbox_events WHERE consumer = 'it-consumer'");
      expect(inboxRows.rows[0].n).toBe(5);
    } finally {
      await relay.stop();
      await bus.close();
      await producer.end();
      await consumerDbClient.end();
    }
  });
});
