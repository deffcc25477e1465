import type { ServiceMetrics } from '@shop/observability';
import { Client, Pool } from 'pg';
import type { Logger } from 'pino';
import type { Counter, Gauge } from 'prom-client';
import type { EventBus } from './event-bus';
import { traceSend } from './messaging-tracing';
import { Wakeup } from './wakeup';

export interface OutboxRelayOptions {
  databaseUrl: string;
  bus: EventBus;
  logger: Logger;
  /** shop_outbox_published_total, shop_outbox_relay_failures_total, and the backlog read at each scrape. */
  metrics?: ServiceMetrics;
  batchSize?: number;
  pollIntervalMs?: number;
  /** Published rows are kept this long for inspection, then deleted. */
  retentionHours?: number;
}

const NOTIFY_CHANNEL = 'outbox_events';
const RELAY_LOCK = 7310;

/**
 * Publishes what services wrote to their outbox_events table. Rows are marked published only
 * after the bus acknowledged them, so a crash anywhere means a resend (consumers dedupe), never a loss.
 * One relay per database holds an advisory lock, keeping the outbox order on the bus.
 */
export class OutboxRelay {
  private readonly pool: Pool;
  private listener?: Client;
  private stopped = false;
  private readonly wakeup = new Wakeup();
  private loop?: Promise<void>;
  private failures = 0;
  private lastCleanup = 0;
  /** Ids the bus acknowledged that the next read marks published. */
  private published: string[] = [];
  private readonly publishedTotal?: Counter.Internal;
  private readonly failuresTotal?: Counter.Internal;
  private readonly backlogGauges?: { pending: Gauge; age: Gauge };

  constructor(private readonly options: OutboxRelayOptions) {
    this.pool = new Pool({ connectionString: options.databaseUrl, max: 2 });
    this.pool.on('error', (error) => options.logger.warn({ err: error }, 'outbox relay connection error'));
    const { metrics } = options;
    if (metrics) {
      this.publishedTotal = metrics.counter('shop_outbox_published_total', 'Outbox messages the bus acknowledged (a resend after a crash counts again)', []).labels({});
      this.failuresTotal = metrics.counter('shop_outbox_relay_failures_total', 'Outbox relay rounds that failed (the bus or the database refused); each is retried with back-off', []).labels({});
      // Read when Prometheus scrapes, from the partial index of unpublished rows: nothing between scrapes.
      // prom-client collects every metric of a scrape at once: both gauges wait for the one query.
      const pending = metrics.gauge('shop_outbox_pending_events', 'Outbox messages written and not yet published', [], () => this.collectBacklog());
      const age = metrics.gauge('shop_outbox_oldest_pending_age_seconds', 'Age of the oldest outbox message not yet published (0 when none waits)', [], () => this.collectBacklog());
      this.backlogGauges = { pending, age };
    }
  }

  private backlogRead?: Promise<void>;

  /** One read of the backlog for the gauges of one scrape. */
  private collectBacklog(): Promise<void> {
    this.backlogRead ??= this.readBacklog().finally(() => (this.backlogRead = undefined));
    return this.backlogRead;
  }

  /** Sets the backlog gauges from the table; a scrape while the database is away leaves them as they were. */
  private async readBacklog(): Promise<void> {
    const gauges = this.backlogGauges;
    if (!gauges || this.stopped) return;
    try {
      const { rows } = await this.pool.query<{ pending: number; age: number }>(
        `SELECT count(*)::int AS pending, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age
           FROM outbox_events WHERE published_at IS NULL AND NOT (id = ANY($1::uuid[]))`,
        [this.published],
      );
      gauges.pending.set(rows[0]?.pending ?? 0);
      gauges.age.set(Math.max(0, rows[0]?.age ?? 0));
    } catch (error) {
      this.options.logger.debug({ err: error }, 'outbox backlog not read for /metrics');
    }
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeup.signal();
    await this.loop;
    await this.pool.end().catch(() => undefined);
  }

  /**
   * Publishes one batch; returns how many rows went out. Only the leader (it holds the relay lock)
   * publishes, so no row lock is needed. The rows of the batch before are marked published in the
   * same statement that reads this one: two round trips per batch, a read and a publish.
   */
  private async publishPending(): Promise<number> {
    const published = this.published;
    this.published = [];
    const { rows } = await this.pool.query<{ id: string; topic: string; key: string; payload: string; headers: Record<string, string> }>(
      published.length === 0
        ? `SELECT id, topic, key, payload::text AS payload, headers FROM outbox_events WHERE published_at IS NULL ORDER BY seq LIMIT $1`
        : // The statement reads the table as it was before its own update: the rows just marked are left out by id.
          `WITH marked AS (UPDATE outbox_events SET published_at = now() WHERE id = ANY($2::uuid[]))
           SELECT id, topic, key, payload::text AS payload, headers FROM outbox_events
            WHERE published_at IS NULL AND NOT (id = ANY($2::uuid[])) ORDER BY seq LIMIT $1`,
      published.length === 0 ? [this.options.batchSize ?? 200] : [this.options.batchSize ?? 200, published],
    );
    if (rows.length === 0) return 0;
    const ids = rows.map((row) => row.id);
    try {
      const messages = rows.map((row) => ({ topic: row.topic, key: row.key, value: row.payload, headers: row.headers }));
      await traceSend(this.options.bus.kind === 'kafka' ? 'kafka' : 'shop_event_log', messages, () => this.options.bus.publish(messages));
    } catch (error) {
      await this.pool.query(`UPDATE outbox_events SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::uuid[])`, [
        ids,
        String((error as Error).message).slice(0, 1000),
      ]);
      throw error;
    }
    // Marked by the next read, which follows at once; a crash before it sends them again (consumers dedupe).
    this.published = ids;
    this.publishedTotal?.inc(rows.length);
    return rows.length;
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    while (!this.stopped) {
      try {
        await this.becomeLeader();
        while (!this.stopped) {
          const published = await this.publishPending();
          if (published > 0) {
            if (this.failures > 0) logger.info('outbox relay recovered');
            this.failures = 0;
            continue;
          }
          await this.cleanup();
          // Every insert notifies the relay (a trigger); the poll is only a safety net.
          await this.sleep(this.options.pollIntervalMs ?? 5000);
        }
      } catch (error) {
        this.failures += 1;
        this.failuresTotal?.inc();
        const backoff = Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7));
        logger.warn({ err: error, failures: this.failures, backoffMs: backoff }, 'outbox relay could not publish, will retry');
        await this.dropListener();
        await this.sleep(backoff);
      }
    }
    if (this.published.length > 0) {
      await this.pool.query('UPDATE outbox_events SET published_at = now() WHERE id = ANY($1::uuid[])', [this.published]).catch(() => undefined);
      this.published = [];
    }
    await this.dropListener();
  }

  /** Waits for the relay lock on a dedicated connection that also LISTENs for new outbox rows. */
  private async becomeLeader(): Promise<void> {
    if (this.listener) return;
    const listener = new Client({ connectionString: this.options.databaseUrl });
    listener.on('error', () => undefined);
    await listener.connect();
    listener.on('notification', () => this.wakeup.signal());
    await listener.query(`LISTEN ${NOTIFY_CHANNEL}`);
    this.listener = listener;
    while (!this.stopped) {
      const { rows } = await listener.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK]);
      if (rows[0]?.locked) return;
      await this.sleep(2000);
    }
  }

  private async dropListener(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  private async cleanup(): Promise<void> {
    if (Date.now() - this.lastCleanup < 60 * 60 * 1000) return;
    this.lastCleanup = Date.now();
    await this.pool.query(`DELETE FROM outbox_events WHERE published_at < now() - make_interval(hours => $1)`, [
      this.options.retentionHours ?? 72,
    ]);
  }

  private sleep(ms: number): Promise<void> {
    return this.stopped ? Promise.resolve() : this.wakeup.sleep(ms);
  }
}
