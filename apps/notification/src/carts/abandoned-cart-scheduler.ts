import type { FactoryProvider, OnApplicationBootstrap } from '@nestjs/common';
import { Wakeup } from '@shop/messaging';
import { APP_CONFIG, LOGGER, ShutdownSequence, SQL_DATABASE } from '@shop/service-kit';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { NotificationConfig } from '../config';
import { ORDER_CLIENT, type OrderClient } from '../downstreams';
import { Notifier, type Written } from '../notifications/notifier';
import { Recipients } from '../notifications/recipients';
import { PreferencesService } from '../preferences/preferences.service';
import type { SqlDatabase } from '@shop/persistence';

export const ABANDONED_CART_LEASE = 'abandoned-carts';
const PAGE_SIZE = 200;

export interface AbandonedCartOptions {
  /** A cart untouched this long is abandoned. */
  afterMs: number;
  intervalMs: number;
  logger: Logger;
}

/**
 * Reminds shoppers of carts they left (lines nobody changed for ABANDONED_CART_AFTER, no order
 * placed from them), once per cart, and only those who allowed marketing email; the in-app copy
 * as their in-app marketing preference says. One scheduler runs across replicas: each round
 * starts by taking (or keeping) a lease row in the database, and only its holder scans. A cart is
 * known by its user and when its oldest line was added, and cart_reminders records it with the
 * notice in one transaction, so a cart is reminded of once even if two rounds ever overlapped.
 */
export class AbandonedCartScheduler implements OnApplicationBootstrap {
  /** This process, as the lease names its holder. */
  readonly holder = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  private stopped = false;
  private readonly wakeup = new Wakeup();
  private loop?: Promise<void>;

  constructor(
    private readonly db: SqlDatabase,
    private readonly orders: OrderClient,
    private readonly recipients: Recipients,
    private readonly preferences: PreferencesService,
    private readonly notifier: Notifier,
    private readonly options: AbandonedCartOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeup.signal();
    await this.loop;
  }

  /** Takes the lease, or keeps it, for a few rounds; false while another replica holds it. */
  async lead(): Promise<boolean> {
    const leaseMs = Math.max(3 * this.options.intervalMs, 30_000);
    const rows = await this.db.$queryRaw<Array<{ holder: string }>>`
      INSERT INTO scheduler_leases (name, holder, lease_until)
      VALUES (${ABANDONED_CART_LEASE}, ${this.holder}, now() + ${leaseMs}::int * interval '1 millisecond')
      ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until
       WHERE scheduler_leases.lease_until < now() OR scheduler_leases.holder = EXCLUDED.holder
      RETURNING holder`;
    return rows.length > 0;
  }

  /** One round: every abandoned cart not reminded of yet, page by page; returns how many reminders went out. */
  async scan(): Promise<number> {
    const idleSeconds = Math.ceil(this.options.afterMs / 1000);
    let after = '';
    let reminded = 0;
    while (!this.stopped) {
      const { items } = await this.orders.call('listAbandonedCarts', { idleSeconds, afterUserId: after, limit: PAGE_SIZE });
      if (items.length === 0) break;
      after = items[items.length - 1]!.userId;
      const known = await this.db.$queryRaw<Array<{ user_id: string; started: string }>>`
        SELECT user_id, to_char(cart_started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started FROM cart_reminders
         WHERE user_id = ANY(${items.map((cart) => cart.userId)}::text[])`;
      const done = new Set(known.map((row) => `${row.user_id} ${row.started}`));
      for (const cart of items) {
        if (this.stopped) break;
        const startedAt = new Date(cart.startedAt).toISOString();
        if (done.has(`${cart.userId} ${startedAt}`)) continue;
        try {
          if (await this.remind(cart.userId, startedAt)) reminded += 1;
        } catch (error) {
          // One cart's trouble (a profile not found, a service away) waits for the next round.
          this.options.logger.warn({ err: error, userId: cart.userId }, 'abandoned-cart reminder failed, will retry next round');
        }
      }
      if (items.length < PAGE_SIZE) break;
    }
    return reminded;
  }

  private async remind(userId: string, startedAt: string): Promise<boolean> {
    // Only shoppers who allowed marketing email; the others are asked again next round (they may opt in).
    if (!(await this.preferences.get(userId)).email.marketing) return false;
    const recipient = await this.recipients.required(userId);
    const cart = await this.orders.call('getCart', { userId });
    if (cart.items.length === 0) return false;
    const total = cart.total && cart.total.currency ? { amount: cart.total.amount, currency: cart.total.currency } : undefined;
    let written: Written | undefined;
    await this.db.$transaction(async (tx) => {
      const inserted = await tx.$executeRaw`
        INSERT INTO cart_reminders (user_id, cart_started_at) VALUES (${userId}, ${startedAt}::timestamptz) ON CONFLICT DO NOTHING`;
      if (inserted === 0) return;
      written = await this.notifier.write(tx, recipient, {
        type: 'cart.abandoned',
        sourceId: `cart:${userId}:${startedAt}`,
        facts: { lines: cart.items.length, total },
      });
    });
    this.notifier.committed([written]);
    return written !== undefined;
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    while (!this.stopped) {
      try {
        if (await this.lead()) {
          const reminded = await this.scan();
          if (reminded > 0) logger.info({ reminded }, 'abandoned-cart reminders sent');
        }
      } catch (error) {
        if (!this.stopped) logger.warn({ err: error }, 'abandoned-cart round failed, will retry');
      }
      if (!this.stopped) await this.wakeup.sleep(this.options.intervalMs);
    }
  }
}

export const abandonedCartSchedulerProvider: FactoryProvider<AbandonedCartScheduler> = {
  provide: AbandonedCartScheduler,
  inject: [SQL_DATABASE, ORDER_CLIENT, Recipients, PreferencesService, Notifier, APP_CONFIG, LOGGER, ShutdownSequence],
  useFactory: (
    db: SqlDatabase,
    orders: OrderClient,
    recipients: Recipients,
    preferences: PreferencesService,
    notifier: Notifier,
    config: NotificationConfig,
    logger: Logger,
    shutdown: ShutdownSequence,
  ) => {
    const scheduler = new AbandonedCartScheduler(db, orders, recipients, preferences, notifier, {
      afterMs: config.ABANDONED_CART_AFTER,
      intervalMs: config.ABANDONED_CART_SCAN_INTERVAL_MS,
      logger,
    });
    shutdown.add('loops', 'abandoned-cart scheduler', () => scheduler.stop());
    return scheduler;
  },
};
