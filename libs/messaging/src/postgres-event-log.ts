import type { ServiceMetrics } from '@shop/observability';
import { ensureDatabase } from '@shop/persistence';
import { Client, Pool } from 'pg';
import type { Logger } from 'pino';
import { consumerLagGauge } from './consumer-lag';
import { deliverBatch, type RetryPolicy } from './delivery';
import type { EventBus, OutboundMessage, Subscription } from './event-bus';
import { Wakeup } from './wakeup';

export interface PostgresEventLogOptions {
  databaseUrl: string;
  logger: Logger;
  metrics?: ServiceMetrics;
  retry?: RetryPolicy;
  pollIntervalMs?: number;
}

const CHANNEL = 'shop_event_log';
/** How often an idle consumer looks anyway, in case a notification was missed. */
const SAFETY_POLL_MS = 5000;
// Serialises appends so offsets become visible in the order they were assigned.
const APPEND_LOCK = 7301;
/** Events read per round; different keys of a round are handled side by side, then its offset is committed. */
const BATCH_SIZE = 200;
/** The most a consumer's lag is counted to at a scrape. */
const LAG_COUNT_CAP = 100_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS event_log (
  "offset"   BIGSERIAL PRIMARY KEY,
  topic      TEXT NOT NULL,
  key        TEXT,
  value      TEXT NOT NULL,
  headers    JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS event_log_topic_offset ON event_log (topic, "offset");
CREATE TABLE IF NOT EXISTS event_log_consumer_offsets (
  group_id   TEXT PRIMARY KEY,
  "offset"   BIGINT NOT NULL DEFAULT 0,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- One round trip per append: the lock serialises appends until they commit, so offsets become
-- visible in the order they were assigned; the topics ride on the notification.
CREATE OR REPLACE FUNCTION event_log_append(topics TEXT[], keys TEXT[], vals TEXT[], headers JSONB[], notification TEXT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(${APPEND_LOCK});
  INSERT INTO event_log (topic, key, value, headers) SELECT * FROM unnest(topics, keys, vals, headers);
  PERFORM pg_notify('${CHANNEL}', notification);
END $$;`;

/**
 * A small durable log in Postgres with Kafka's semantics for the embedded default: appends are
 * ordered, every consumer group keeps its own committed offset, delivery is at least once.
 * One active consumer per group (an advisory lock) keeps per-key order, as one partition would.
 */
export class PostgresEventLog implements EventBus {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;
  private readonly loops: Array<{ stop: () => Promise<void> }> = [];
  private ready?: Promise<void>;
  /** Where each consumer of this process is in the log, for the lag read at each scrape. */
  private readonly positions = new Map<string, { topics: string[]; offset: string }>();
  private closing = false;
  /** The one connection of this process that LISTENs, for all its consumers. */
  private listener?: Promise<AppendListener>;

  constructor(private readonly options: PostgresEventLogOptions) {
    this.pool = new Pool({ connectionString: options.databaseUrl, max: 4 });
    this.pool.on('error', (error) => options.logger.warn({ err: error }, 'event log connection error'));
    consumerLagGauge(options.metrics, async (gauge) => {
      if (this.closing) return;
      for (const [group, { topics, offset }] of this.positions) {
        try {
          // Counted from this consumer's position, at most LAG_COUNT_CAP (a consumer that far behind is plainly stuck).
          const { rows } = await this.pool.query<{ topic: string; lag: number }>(
            `SELECT topic, count(*)::int AS lag FROM (
               SELECT topic FROM event_log WHERE "offset" > $1 AND topic = ANY($2) ORDER BY "offset" LIMIT ${LAG_COUNT_CAP}) behind
              GROUP BY topic`,
            [offset, topics],
          );
          const lag = new Map(rows.map((row) => [row.topic, row.lag]));
          for (const topic of topics) gauge.set({ group, topic, partition: '0' }, lag.get(topic) ?? 0);
        } catch (error) {
          options.logger.debug({ err: error, group }, 'consumer lag not read for /metrics');
        }
      }
    });
  }

  connect(): Promise<void> {
    this.ready ??= (async () => {
      await ensureDatabase(this.options.databaseUrl);
      const client = await this.pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock(7300)');
        await client.query(SCHEMA);
        await client.query('SELECT pg_advisory_unlock(7300)');
      } finally {
        client.release();
      }
    })();
    return this.ready;
  }

  async publish(messages: OutboundMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    await this.pool.query('SELECT event_log_append($1::text[], $2::text[], $3::text[], $4::jsonb[], $5)', [
      messages.map((m) => m.topic),
      messages.map((m) => m.key),
      messages.map((m) => m.value),
      messages.map((m) => JSON.stringify(m.headers)),
      notificationPayload(messages.map((m) => m.topic)),
    ]);
  }

  async subscribe(subscription: Subscription): Promise<void> {
    await this.connect();
    this.loops.push(this.runConsumer(subscription));
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled(this.loops.map((loop) => loop.stop()));
    await (await this.listener?.catch(() => undefined))?.close();
    await this.pool.end().catch(() => undefined);
  }

  /** This process's listener, LISTENing before the first consumer reads. */
  private appendListener(): Promise<AppendListener> {
    this.listener ??= AppendListener.start(this.options.databaseUrl, this.options.logger).catch((error: unknown) => {
      this.listener = undefined;
      throw error;
    });
    return this.listener;
  }

  private runConsumer({ groupId, topics, handler, batchHandler, batchInOrder, retry: subscriptionRetry, concurrency, broadcast }: Subscription): { stop: () => Promise<void> } {
    const { logger, metrics } = this.options;
    const retry = subscriptionRetry ?? this.options.retry;
    // LISTEN wakes a consumer when its topics get events; the poll is only a safety net.
    const pollMs = this.options.pollIntervalMs ?? SAFETY_POLL_MS;
    let stopped = false;
    const wakeup = new Wakeup();
    let connection: Client | undefined;
    let unregister: (() => void) | undefined;
    const sleepUntilWoken = () => (stopped ? Promise.resolve() : wakeup.sleep(pollMs));
    // A broadcast consumer keeps its offset in memory, from the end of the log when it first connects.
    let broadcastOffset: string | undefined;

    const loop = (async () => {
      while (!stopped) {
        try {
          // Registered before the first read: whatever is appended after it wakes this consumer.
          unregister ??= (await this.appendListener()).register(topics, wakeup);
          // Its own connection, not one of the pool's: a consumer holds it for good (the group's lock),
          // and a process with as many consumers as the pool has connections would leave none for
          // publishing and /metrics.
          connection = new Client({ connectionString: this.options.databaseUrl });
          connection.on('error', (error) => logger.warn({ err: error, group: groupId }, 'event log consumer connection error'));
          await connection.connect();
          // This connection writes only the group's offset: a commit lost in a crash means events
          // delivered again (every handler takes redeliveries), so its commits need not wait for the
          // WAL to reach the disk, as Kafka's offset commits do not either.
          await connection.query('SET synchronous_commit = off');
          // Where this consumer is in the log; a group's position is committed by the read that follows a delivery.
          let position: string;
          if (broadcast) {
            broadcastOffset ??= (await connection.query<{ last: string }>('SELECT coalesce(max("offset"), 0)::text AS last FROM event_log')).rows[0]!.last;
            position = broadcastOffset;
          } else {
            // Only one process consumes a group at a time; the others wait here as standbys.
            const lockKey = hashKey(groupId);
            while (!stopped) {
              const { rows } = await connection.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [lockKey]);
              if (rows[0]?.locked) break;
              await sleepUntilWoken();
            }
            const { rows } = await connection.query<{ offset: string }>(
              `INSERT INTO event_log_consumer_offsets (group_id, "offset") VALUES ($1, 0)
               ON CONFLICT (group_id) DO UPDATE SET group_id = excluded.group_id RETURNING "offset"::text AS "offset"`,
              [groupId],
            );
            position = rows[0]!.offset;
          }
          let committed = position;
          const where = { topics, offset: position };
          this.positions.set(groupId, where);
          const read = () =>
            connection!.query<{ offset: string; topic: string; key: string | null; value: string; headers: Record<string, string> }>(
              broadcast || committed === position
                ? `SELECT "offset", topic, key, value, headers FROM event_log
                    WHERE "offset" > $1 AND topic = ANY($2) ORDER BY "offset" LIMIT ${BATCH_SIZE}`
                : // The delivered batch's offset is committed by the statement that reads the next one: one round trip per batch under load.
                  `WITH committed AS (UPDATE event_log_consumer_offsets SET "offset" = $1, updated_at = now() WHERE group_id = $3)
                   SELECT "offset", topic, key, value, headers FROM event_log
                    WHERE "offset" > $1 AND topic = ANY($2) ORDER BY "offset" LIMIT ${BATCH_SIZE}`,
              broadcast || committed === position ? [position, topics] : [position, topics, groupId],
            );
          try {
            while (!stopped) {
              const batch = await read();
              committed = position;
              const last = batch.rows[batch.rows.length - 1];
              if (last && !stopped) {
                await deliverBatch(
                  groupId,
                  batch.rows.map((row) => ({ topic: row.topic, key: row.key, value: row.value, headers: row.headers })),
                  handler,
                  { logger, metrics, retry, concurrency, batchHandler, batchInOrder, system: 'shop_event_log', publishDeadLetter: (dead) => this.publish([dead]) },
                );
                position = last.offset;
                where.offset = position;
                // A short batch was all the log held for these topics when it was read. Whatever was
                // appended since has woken this consumer (its notification follows the append's commit,
                // so it comes after the read's snapshot), which makes the sleep return at once; reading
                // again right away would mostly find nothing. The batch's offset is committed by the
                // next read, or before the lock goes at a stop.
                if (batch.rows.length < BATCH_SIZE) await sleepUntilWoken();
              } else {
                await sleepUntilWoken();
              }
            }
          } finally {
            // Stopping after a delivery: its offset is committed before the lock goes.
            if (!broadcast && committed !== position) {
              await connection.query('UPDATE event_log_consumer_offsets SET "offset" = $2, updated_at = now() WHERE group_id = $1', [groupId, position]).catch(() => undefined);
            }
            if (broadcast) broadcastOffset = position;
          }
        } catch (error) {
          if (!stopped) {
            logger.warn({ err: error, group: groupId }, 'event log consumer failed, reconnecting');
            await new Promise((resolve) => setTimeout(resolve, 1000));
          }
        } finally {
          // Closing the connection also drops the group's advisory lock.
          await connection?.end().catch(() => undefined);
          connection = undefined;
        }
      }
    })();

    return {
      stop: async () => {
        stopped = true;
        wakeup.signal();
        await loop.catch(() => undefined);
        unregister?.();
      },
    };
  }
}

/**
 * The connection of a process that LISTENs for appends and wakes those of its consumers whose topics
 * an append names. One per process, not one per consumer: Postgres wakes every listening connection
 * of the database at each append (each then runs a transaction to read the notification queue), and
 * a process of four consumers used to be woken four times per append.
 */
class AppendListener {
  private readonly consumers = new Set<{ topics: string[]; wakeup: Wakeup }>();
  private client?: Client;
  private closed = false;

  private constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  static async start(databaseUrl: string, logger: Logger): Promise<AppendListener> {
    const listener = new AppendListener(databaseUrl, logger);
    await listener.connect();
    return listener;
  }

  register(topics: string[], wakeup: Wakeup): () => void {
    const consumer = { topics, wakeup };
    this.consumers.add(consumer);
    return () => this.consumers.delete(consumer);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl });
    client.on('error', (error) => this.logger.warn({ err: error }, 'event log listener connection error'));
    client.on('end', () => {
      if (this.closed || this.client !== client) return;
      this.client = undefined;
      this.reconnect();
    });
    client.on('notification', ({ payload }) => {
      for (const consumer of this.consumers) if (concernsTopics(payload, consumer.topics)) consumer.wakeup.signal();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    if (this.closed) await client.end().catch(() => undefined);
  }

  /** Until it is back, consumers fall back on their safety poll; once back, each looks at once for what it missed. */
  private reconnect(): void {
    setTimeout(() => {
      if (this.closed) return;
      this.connect().then(
        () => {
          for (const consumer of this.consumers) consumer.wakeup.signal();
        },
        (error: unknown) => {
          this.logger.warn({ err: error }, 'event log listener could not reconnect, will retry');
          this.reconnect();
        },
      );
    }, 1000).unref();
  }
}

/** Postgres refuses notification payloads of 8000 bytes or more; an empty payload wakes everyone. */
const MAX_NOTIFICATION_BYTES = 7000;

export function notificationPayload(topics: string[]): string {
  const payload = [...new Set(topics)].join('\n');
  return Buffer.byteLength(payload) < MAX_NOTIFICATION_BYTES ? payload : '';
}

export function concernsTopics(payload: string | undefined, topics: string[]): boolean {
  if (!payload) return true;
  const published = payload.split('\n');
  return topics.some((topic) => published.includes(topic));
}

function hashKey(value: string): number {
  let hash = 7302;
  for (const char of value) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}
