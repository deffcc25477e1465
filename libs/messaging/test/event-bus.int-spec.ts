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
import { migrate, prismaDir, SqlDatabase } from '@shop/persistence';
import { createTestDatabase, eventually, repoRoot, type TestDatabase, testInfra, uniqueName } from '@shop/testing';
import { join } from 'node:path';
import { Client, Pool } from 'pg';

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

  it('keeps publishing and answering /metrics in a process with many consumers', async () => {
    const topic = uniqueName('it.many');
    const seen = new Map<string, string[]>();
    // More consumers than the Postgres event log's pool has connections (the gateway has five).
    for (let i = 0; i < 6; i += 1) {
      const group = uniqueName(`group-${i}`);
      seen.set(group, []);
      await bus.subscribe({ groupId: group, topics: [topic], handler: async (event) => void seen.get(group)!.push(event.id) });
    }
    const event = userEvent('00000000-0000-4000-8000-00000000000c', 'many@x.io');
    await bus.publish([{ topic, key: event.aggregateId, value: JSON.stringify(event), headers: {} }]);
    await eventually(async () => ([...seen.values()].every((ids) => ids.length === 1) ? true : undefined), 30_000, 'every group got the event');
    expect(await Promise.race([metrics.render(), new Promise((resolve) => setTimeout(() => resolve('timed out'), 5000))])).toContain('shop_messaging');
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

/** A series' value in a /metrics text, or undefined when it is not there. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe.each(buses)('consumer lag on the $name bus', ({ create }) => {
  it('reports how far a group is behind while its handler is busy, and 0 once it caught up', async () => {
    const metrics = new ServiceMetrics('lag-test');
    const bus = await create(metrics);
    await bus.connect();
    const topic = uniqueName('it.lag');
    const group = uniqueName('group-lag');
    // One key: one partition, so one batch holds them all.
    const events = Array.from({ length: 6 }, (_, i) => userEvent('00000000-0000-4000-8000-0000000000f1', `lag${i}@x.io`));
    await bus.publish(events.map((event) => ({ topic, key: event.aggregateId, value: JSON.stringify(event), headers: {} })));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let handled = 0;
    try {
      await bus.subscribe({
        groupId: group,
        topics: [topic],
        handler: async () => {
          await gate;
          handled += 1;
        },
      });
      const lag = async () => sample(await metrics.render(), 'shop_messaging_consumer_lag', { group, topic });
      expect(await eventually(async () => ((await lag()) === 6 ? 6 : undefined), 30_000, 'the lag of six waiting events')).toBe(6);
      release();
      await eventually(async () => (handled === 6 && (await lag()) === 0 ? true : undefined), 30_000, 'lag back to 0');
    } finally {
      release();
      await bus.close();
    }
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

    const metrics = new ServiceMetrics('relay-test');
    const bus = await create(metrics);
    const relay = new OutboxRelay({ databaseUrl: producerDb.url, bus, logger, metrics, pollIntervalMs: 100 });
    // Before any relay ran: five rows wait, the oldest for a while already.
    await producer.query(`UPDATE outbox_events SET created_at = now() - interval '90 seconds' WHERE id = $1`, [events[0]!.id]);
    const before = await metrics.render();
    expect(sample(before, 'shop_outbox_pending_events')).toBe(5);
    expect(sample(before, 'shop_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(89);
    // The consumer's own database, as a service has it: a pool, a connection per transaction (events
    // of different keys are handled side by side).
    const consumerPool = new Pool({ connectionString: consumerDb.url, max: 4 });
    const inbox = new SqlDatabase(consumerPool);
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
      const after = await metrics.render();
      expect(sample(after, 'shop_outbox_pending_events')).toBe(0);
      expect(sample(after, 'shop_outbox_oldest_pending_age_seconds')).toBe(0);
      expect(sample(after, 'shop_outbox_published_total')).toBe(5);
      expect(sample(after, 'shop_outbox_relay_failures_total')).toBe(0);
      // Different keys may take different partitions: order is promised per key only.
      expect([...effects].sort()).toEqual(events.map((e) => e.id).sort());
      const inboxRows = await consumerPool.query("SELECT count(*)::int AS n FROM inbox_events WHERE consumer = 'it-consumer'");
      expect(inboxRows.rows[0].n).toBe(5);
    } finally {
      await relay.stop();
      await bus.close();
      await producer.end();
      await consumerPool.end();
    }
  });
});

describe('outbox relay failures', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('relayfail');
    await migrate(db.url, join(prismaDir('auth', repoRoot()), 'migrations'));
  });
  afterAll(async () => {
    await db.drop();
  });

  it('counts the rounds a bus refused, and keeps the rows', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const row = toOutboxRow(userEvent('00000000-0000-4000-8000-0000000002aa', 'refused@x.io'));
    await client.query('INSERT INTO outbox_events (id, topic, key, type, payload, headers) VALUES ($1,$2,$3,$4,$5,$6)', [row.id, row.topic, row.key, row.type, JSON.stringify(row.payload), JSON.stringify(row.headers)]);
    const metrics = new ServiceMetrics('relay-fail-test');
    const refusing: EventBus = {
      kind: 'kafka',
      connect: async () => undefined,
      publish: async () => Promise.reject(new Error('the broker is away')),
      subscribe: async () => undefined,
      ping: async () => undefined,
      close: async () => undefined,
    };
    const relay = new OutboxRelay({ databaseUrl: db.url, bus: refusing, logger, metrics, pollIntervalMs: 100 });
    try {
      relay.start();
      await eventually(async () => ((sample(await metrics.render(), 'shop_outbox_relay_failures_total') ?? 0) >= 1 ? true : undefined), 10_000, 'a failed round counted');
      const text = await metrics.render();
      expect(sample(text, 'shop_outbox_pending_events')).toBe(1);
      expect(sample(text, 'shop_outbox_published_total')).toBe(0);
      expect((await client.query('SELECT attempts, last_error FROM outbox_events WHERE id = $1', [row.id])).rows[0]).toMatchObject({ last_error: 'the broker is away' });
    } finally {
      await relay.stop();
      await client.end();
    }
  });
});

describe('Postgres event log wakeups', () => {
  // A poll far longer than the test: only a notification can make these deliveries.
  const create = () => new PostgresEventLog({ databaseUrl: eventsDb.url, logger, retry: fastRetry, pollIntervalMs: 120_000 });

  it('wakes each idle consumer of a process for its own topics, through one listening connection that comes back when dropped', async () => {
    const bus = create();
    const publisher = create();
    const admin = new Client({ connectionString: eventsDb.url });
    await admin.connect();
    try {
      const topics = [uniqueName('it.wake-a'), uniqueName('it.wake-b'), uniqueName('it.wake-c')];
      const seen = new Map<string, string[]>(topics.map((topic) => [topic, []]));
      for (const topic of topics) {
        await bus.subscribe({ groupId: uniqueName('wake'), topics: [topic], handler: async (event) => void seen.get(topic)!.push(event.id) });
      }
      await bus.subscribe({ groupId: uniqueName('wake-broadcast'), topics: [topics[0]!], broadcast: true, handler: async () => undefined });
      const listening = async () =>
        (await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN shop_event_log'`)).rows;
      // The consumers are idle (caught up, asleep) before anything is published.
      await eventually(async () => ((await listening()).length === 1 ? true : undefined), 10_000, 'one listening connection for the four consumers');
      await new Promise((resolve) => setTimeout(resolve, 300));

      const publish = (topic: string) => {
        const event = userEvent('00000000-0000-4000-8000-0000000003aa', 'wake@x.io');
        return publisher.publish([{ topic, key: event.aggregateId, value: JSON.stringify(event), headers: {} }]).then(() => event.id);
      };
      const first = await publish(topics[1]!);
      await eventually(async () => (seen.get(topics[1]!)!.includes(first) ? true : undefined), 5_000, 'the idle consumer of the topic woke');
      expect(seen.get(topics[0]!)).toEqual([]);

      // The listening connection dies: it comes back, and an append after that still wakes its consumer.
      const [before] = await listening();
      await admin.query('SELECT pg_terminate_backend($1)', [before!.pid]);
      await eventually(async () => {
        const now = await listening();
        return now.length === 1 && now[0]!.pid !== before!.pid ? true : undefined;
      }, 10_000, 'the listener reconnected');
      const second = await publish(topics[2]!);
      await eventually(async () => (seen.get(topics[2]!)!.includes(second) ? true : undefined), 5_000, 'woken after the reconnect');
    } finally {
      await bus.close();
      await publisher.close();
      await admin.end();
    }
  });
});
