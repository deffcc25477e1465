import type { FactoryProvider, OnApplicationBootstrap } from '@nestjs/common';
import { writeOutbox, Wakeup } from '@shop/messaging';
import { APP_CONFIG, LOGGER, ShutdownSequence, SQL_DATABASE } from '@shop/service-kit';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { NotificationConfig } from '../config';
import { NotificationMetrics } from '../notification-metrics';
import type { SqlDatabase } from '@shop/persistence';
import { MAIL_TRANSPORT, type MailTransport } from './mail-transport';

/** Where given-up emails go, with why: `notification.email.dlq`, keyed by user. */
export const EMAIL_DEAD_LETTER_TOPIC = 'notification.email.dlq';

export interface MailDispatcherOptions {
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  pollIntervalMs: number;
  concurrency: number;
  /** How long a delivery stays leased to the replica sending it; after that another one takes it. */
  leaseMs: number;
  /** Sent mails older than this are deleted (hourly). */
  retentionDays: number;
  batchSize?: number;
  logger: Logger;
}

interface DueDelivery {
  id: string;
  user_id: string;
  source_id: string;
  type: string;
  to_address: string;
  locale: string;
  subject: string;
  text: string;
  html: string;
  attempts: number;
}

/** The wait after the `attempts`-th failure: doubling from the initial back-off, at most the maximum. */
export function backoffMs(attempts: number, options: Pick<MailDispatcherOptions, 'initialBackoffMs' | 'maxBackoffMs'>): number {
  return Math.min(options.maxBackoffMs, options.initialBackoffMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * Sends the emails in email_deliveries. Every replica runs one: each round leases due deliveries
 * (FOR UPDATE SKIP LOCKED, so replicas never take the same one), sends them, and marks them sent. A
 * failed send waits its back-off and is tried again, up to maxAttempts; then the delivery is dead
 * and a message saying why goes to notification.email.dlq through the outbox, in the same
 * transaction. Nothing is lost; a mail is sent twice only if the process dies between the SMTP
 * server accepting it and its batch's mark (it is then resent with the same Message-ID once its lease ends).
 */
export class MailDispatcher implements OnApplicationBootstrap {
  private stopped = false;
  private readonly wakeup = new Wakeup();
  private loop?: Promise<void>;
  private lastCleanup = 0;

  constructor(
    private readonly db: SqlDatabase,
    private readonly transport: MailTransport,
    private readonly metrics: NotificationMetrics,
    private readonly options: MailDispatcherOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.loop ??= this.run();
  }

  /** New mail is due: the next round starts now. */
  wake(): void {
    this.wakeup.signal();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeup.signal();
    await this.loop;
  }

  /** Sends what is due now, batch after batch; returns how many deliveries it tried. */
  async drain(): Promise<number> {
    const batchSize = this.options.batchSize ?? 50;
    let total = 0;
    while (!this.stopped) {
      const due = await this.lease(batchSize);
      total += due.length;
      await this.sendAll(due);
      if (due.length < batchSize) break;
    }
    return total;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.drain();
        await this.cleanup();
        failures = 0;
      } catch (error) {
        failures += 1;
        if (!this.stopped) this.options.logger.warn({ err: error, failures }, 'mail dispatch round failed, will retry');
      }
      if (this.stopped) break;
      await this.wakeup.sleep(failures > 0 ? Math.min(30_000, this.options.pollIntervalMs * 2 ** failures) : this.options.pollIntervalMs);
    }
  }

  /** Once an hour, sent mails older than the retention, a bounded batch at a time. */
  async cleanup(force = false): Promise<number> {
    if (!force && Date.now() - this.lastCleanup < 3600_000) return 0;
    this.lastCleanup = Date.now();
    const removed = await this.db.$executeRaw`
      DELETE FROM email_deliveries WHERE id IN (
        SELECT id FROM email_deliveries WHERE status = 'sent' AND sent_at < now() - ${this.options.retentionDays}::int * interval '1 day' LIMIT 10000)`;
    if (removed > 0) this.options.logger.info({ removed, retentionDays: this.options.retentionDays }, 'deleted old sent mail');
    return removed;
  }

  private lease(limit: number): Promise<DueDelivery[]> {
    return this.db.$queryRaw<DueDelivery[]>`
      UPDATE email_deliveries d
         SET status = 'sending', attempts = d.attempts + 1, lease_until = now() + ${this.options.leaseMs}::int * interval '1 millisecond'
       WHERE d.id IN (SELECT id FROM email_deliveries
                       WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now())
                       ORDER BY next_attempt_at
                       LIMIT ${limit}
                         FOR UPDATE SKIP LOCKED)
      RETURNING d.id::text AS id, d.user_id, d.source_id, d.type, d.to_address, d.locale, d.subject, d.text, d.html, d.attempts`;
  }

  /**
   * Sends a leased batch, `concurrency` at a time, then marks what went out as sent in one statement
   * (a statement per mail was the notification service's busiest query under checkout load).
   */
  private async sendAll(due: DueDelivery[]): Promise<void> {
    const sent: DueDelivery[] = [];
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const delivery = due[next++]!;
        if (await this.send(delivery)) sent.push(delivery);
      }
    };
    // Marked even when a worker failed (a failure's own write): what the server accepted is not sent again.
    const rounds = await Promise.allSettled(Array.from({ length: Math.min(this.options.concurrency, due.length) }, worker));
    await this.markSent(sent);
    const failed = rounds.find((round): round is PromiseRejectedResult => round.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Whether the mail server accepted it; a refusal is recorded (retry or dead letter). */
  private async send(delivery: DueDelivery): Promise<boolean> {
    try {
      await this.transport.send({
        id: delivery.id,
        to: delivery.to_address,
        subject: delivery.subject,
        text: delivery.text,
        html: delivery.html,
        language: delivery.locale,
        type: delivery.type,
      });
    } catch (error) {
      await this.failed(delivery, error);
      return false;
    }
    this.metrics.sent('email', delivery.type);
    return true;
  }

  private async markSent(sent: DueDelivery[]): Promise<void> {
    if (sent.length === 0) return;
    await this.db.$executeRaw`
      UPDATE email_deliveries SET status = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL
       WHERE id = ANY(${sent.map((delivery) => delivery.id)}::uuid[]) AND status = 'sending'`;
    for (const delivery of sent) this.options.logger.debug({ deliveryId: delivery.id, type: delivery.type, attempts: delivery.attempts }, 'email sent');
  }

  private async failed(delivery: DueDelivery, error: unknown): Promise<void> {
    const { logger, maxAttempts } = this.options;
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    this.metrics.failed('email', delivery.type);
    if (delivery.attempts < maxAttempts) {
      const waitMs = backoffMs(delivery.attempts, this.options);
      logger.warn({ deliveryId: delivery.id, type: delivery.type, attempts: delivery.attempts, retryInMs: waitMs, reason }, 'email not sent, will retry');
      await this.db.$executeRaw`
        UPDATE email_deliveries SET status = 'pending', lease_until = NULL, last_error = ${reason},
               next_attempt_at = now() + ${waitMs}::int * interval '1 millisecond'
         WHERE id = ${delivery.id}::uuid AND status = 'sending'`;
      return;
    }
    logger.error({ deliveryId: delivery.id, type: delivery.type, attempts: delivery.attempts, reason }, 'email given up, moved to the dead-letter topic');
    await this.db.$transaction(async (tx) => {
      const marked = await tx.$executeRaw`
        UPDATE email_deliveries SET status = 'dead', lease_until = NULL, last_error = ${reason} WHERE id = ${delivery.id}::uuid AND status = 'sending'`;
      if (marked === 0) return;
      await writeOutbox(tx, [
        {
          id: randomUUID(),
          type: EMAIL_DEAD_LETTER_TOPIC,
          version: 1,
          occurredAt: new Date().toISOString(),
          aggregateId: delivery.user_id,
          payload: {
            deliveryId: delivery.id,
            userId: delivery.user_id,
            sourceId: delivery.source_id,
            type: delivery.type,
            to: delivery.to_address,
            subject: delivery.subject,
            attempts: delivery.attempts,
            reason,
          },
        },
      ]);
    });
    this.metrics.dead('email', delivery.type);
  }
}

/** The dispatcher, made from the config; it starts once the application has booted and stops with the other loops. */
export const mailDispatcherProvider: FactoryProvider<MailDispatcher> = {
  provide: MailDispatcher,
  inject: [SQL_DATABASE, MAIL_TRANSPORT, NotificationMetrics, APP_CONFIG, LOGGER, ShutdownSequence],
  useFactory: (db: SqlDatabase, transport: MailTransport, metrics: NotificationMetrics, config: NotificationConfig, logger: Logger, shutdown: ShutdownSequence) => {
    const dispatcher = new MailDispatcher(db, transport, metrics, {
      maxAttempts: config.EMAIL_MAX_ATTEMPTS,
      initialBackoffMs: config.EMAIL_RETRY_INITIAL_MS,
      maxBackoffMs: config.EMAIL_RETRY_MAX_MS,
      pollIntervalMs: config.EMAIL_POLL_INTERVAL_MS,
      concurrency: config.EMAIL_CONCURRENCY,
      // Connecting, greeting and the reply to the message each have SMTP_TIMEOUT_MS.
      leaseMs: 3 * config.SMTP_TIMEOUT_MS + 30_000,
      retentionDays: config.EMAIL_RETENTION_DAYS,
      logger,
    });
    shutdown.add('loops', 'mail dispatcher', () => dispatcher.stop());
    return dispatcher;
  },
};
