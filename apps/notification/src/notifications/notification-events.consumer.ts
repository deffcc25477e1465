import { Inject, Injectable } from '@nestjs/common';
import type { OneOf } from '@shop/contracts';
import { EventConsumer, type EventConsumerProvider, handleEachOnce } from '@shop/messaging';
import { APP_CONFIG, SQL_DATABASE } from '@shop/service-kit';
import type { NotificationConfig } from '../config';
import { NotificationMetrics } from '../notification-metrics';
import type { SqlDatabase } from '@shop/persistence';
import { type Notice, Notifier, type Written } from './notifier';
import { newest, type RecipientFacts, Recipients } from './recipients';

export const NOTIFICATION_CONSUMER = 'notification-service.events';

/** What the service listens to: the user service's (who and in which language) and what shoppers are told of. */
export const SOURCE_EVENTS = ['user.registered', 'user.profile_changed', 'order.confirmed', 'order.cancelled', 'order.shipped', 'order.delivered', 'payment.refunded'] as const;
export type SourceEvent = OneOf<(typeof SOURCE_EVENTS)[number]>;

/**
 * A failing event (the user or order service away, a profile not made yet) is retried for about a
 * minute before it goes to its dead-letter topic: long enough for a restart, short enough not to
 * hold its key for long.
 */
export const EVENT_RETRY = { maxAttempts: 8, initialBackoffMs: 500, maxBackoffMs: 30_000 };

/** How many profiles are asked of the user service at once, for users not heard of yet. */
const PROFILE_LOOKUPS = 16;

const source = (eventId: string) => `event:${eventId}`;

/**
 * What the shopper hears of, from the events of the services that own the facts: a welcome
 * (user.registered), their order confirmed, cancelled (with the reason), shipped and delivered, and
 * refunds; user.profile_changed keeps their address and locale. A batch of events is handled in one
 * transaction, in delivery order, with the inbox: each event once, whatever is delivered again. An
 * event that cannot be handled fails the batch, whose events are then retried one by one.
 */
@Injectable()
export class NotificationEventsConsumer implements EventConsumerProvider {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(APP_CONFIG) private readonly config: NotificationConfig,
    private readonly recipients: Recipients,
    private readonly notifier: Notifier,
    private readonly metrics: NotificationMetrics,
  ) {}

  consumer(): EventConsumer {
    return new EventConsumer(NOTIFICATION_CONSUMER, { retry: EVENT_RETRY }).onBatchInOrder(SOURCE_EVENTS, (events) => this.handle(events));
  }

  async handle(events: SourceEvent[]): Promise<void> {
    // What the user service told in this batch, the newest per user.
    const told: RecipientFacts[] = [];
    for (const event of events) {
      if (event.type === 'user.registered') {
        const { userId, email, name, registeredAt } = event.payload;
        // A new profile speaks English until its owner says otherwise.
        told.push({ userId, email, name, locale: 'en', asOf: new Date(registeredAt) });
      } else if (event.type === 'user.profile_changed') {
        const { userId, email, name, locale } = event.payload.profile;
        told.push({ userId, email, name, locale, asOf: new Date(event.occurredAt) });
      }
    }

    const oldest = Date.now() - this.config.NOTIFICATION_MAX_EVENT_AGE;
    const notices: Array<{ eventId: string; userId: string; notice: Notice }> = [];
    for (const event of events) {
      if (event.type === 'user.profile_changed') continue;
      if (Date.parse(event.occurredAt) < oldest) {
        this.metrics.stale(event.type);
        continue;
      }
      const notice = await this.noticeOf(event);
      notices.push({ eventId: event.id, ...notice });
    }

    // Who they are: the newest of this batch's, the table's and (for users not heard of) the user service's.
    const userIds = [...new Set(notices.map((entry) => entry.userId))];
    const known = await this.recipients.known(userIds);
    const fromBatch = new Map<string, RecipientFacts>();
    for (const facts of told) fromBatch.set(facts.userId, newest(fromBatch.get(facts.userId), facts)!);
    const fetched = new Map<string, RecipientFacts>();
    const unknown = userIds.filter((userId) => !known.has(userId) && !fromBatch.has(userId));
    for (let i = 0; i < unknown.length; i += PROFILE_LOOKUPS) {
      await Promise.all(
        unknown.slice(i, i + PROFILE_LOOKUPS).map(async (userId) => {
          const profile = await this.recipients.fetch(userId);
          if (!profile) throw new Error(`no profile for user ${userId} yet`);
          fetched.set(userId, profile);
        }),
      );
    }

    let written: Written[] = [];
    await handleEachOnce(
      this.db,
      NOTIFICATION_CONSUMER,
      events.map((event) => event.id),
      async (tx, fresh) => {
        await this.recipients.remember(tx, [...told, ...fetched.values()]);
        const entries = notices
          .filter((entry) => fresh.has(entry.eventId))
          .map((entry) => ({ recipient: newest(fromBatch.get(entry.userId), known.get(entry.userId), fetched.get(entry.userId))!, notice: entry.notice }));
        written = await this.notifier.writeMany(tx, entries);
      },
    );
    this.notifier.committed(written);
  }

  /** Whom an event concerns and what they are told. */
  private async noticeOf(event: Exclude<SourceEvent, { type: 'user.profile_changed' }>): Promise<{ userId: string; notice: Notice }> {
    const sourceId = source(event.id);
    switch (event.type) {
      case 'user.registered':
        return { userId: event.payload.userId, notice: { type: 'account.welcome', sourceId, facts: {} } };
      case 'order.confirmed': {
        const { orderId, total, userId } = event.payload;
        // Order events say whose order it is since notifications exist; older ones are asked of the order service.
        return { userId: userId ?? (await this.recipients.ownerOf(orderId)), notice: { type: 'order.confirmed', sourceId, facts: { orderId, total } } };
      }
      case 'order.cancelled': {
        const { orderId, reason, total, userId } = event.payload;
        return { userId: userId ?? (await this.recipients.ownerOf(orderId)), notice: { type: 'order.cancelled', sourceId, facts: { orderId, reason, total } } };
      }
      case 'order.shipped':
      case 'order.delivered': {
        const { orderId, userId, total } = event.payload;
        return { userId, notice: { type: event.type, sourceId, facts: { orderId, total } } };
      }
      case 'payment.refunded': {
        const { orderId, amount, full } = event.payload;
        return { userId: await this.recipients.ownerOf(orderId), notice: { type: 'payment.refunded', sourceId, facts: { orderId, amount, full } } };
      }
    }
  }
}
