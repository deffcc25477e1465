import { Inject, Injectable } from '@nestjs/common';
import type { EventOf } from '@shop/contracts';
import { EventConsumer, type EventConsumerProvider, handleOnce } from '@shop/messaging';
import { PRISMA, type PrismaClient } from '../prisma';
import { type Notice, Notifier, type Recipient, type Written } from './notifier';
import { Recipients } from './recipients';

export const NOTIFICATION_CONSUMER = 'notification-service.events';

/**
 * A failing event (the user or order service away) is retried for about a minute before it goes
 * to its dead-letter topic: long enough for a restart, short enough not to hold its key for long.
 */
export const EVENT_RETRY = { maxAttempts: 8, initialBackoffMs: 500, maxBackoffMs: 30_000 };

const source = (eventId: string) => `event:${eventId}`;

/**
 * What the shopper hears of, from the events of the services that own the facts: a welcome
 * (user.registered), their order confirmed, cancelled (with the reason), shipped and delivered, and
 * refunds. Each event is handled once (inbox), in the transaction that writes what it causes.
 */
@Injectable()
export class NotificationEventsConsumer implements EventConsumerProvider {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly recipients: Recipients,
    private readonly notifier: Notifier,
  ) {}

  consumer(): EventConsumer {
    return new EventConsumer(NOTIFICATION_CONSUMER, { retry: EVENT_RETRY })
      .on('user.registered', async (event) => {
        const { userId, email, name } = event.payload;
        // The user service makes the profile from the same event: it may not be there yet.
        const recipient = (await this.recipients.profile(userId)) ?? { userId, email, name, locale: 'en' };
        await this.notify(event.id, recipient, { type: 'account.welcome', sourceId: source(event.id), facts: {} });
      })
      .on('order.confirmed', async (event) => {
        const { orderId, total } = event.payload;
        const recipient = await this.recipients.required(await this.ownerOf(event));
        await this.notify(event.id, recipient, { type: 'order.confirmed', sourceId: source(event.id), facts: { orderId, total } });
      })
      .on('order.cancelled', async (event) => {
        const { orderId, reason, total } = event.payload;
        const recipient = await this.recipients.required(await this.ownerOf(event));
        await this.notify(event.id, recipient, { type: 'order.cancelled', sourceId: source(event.id), facts: { orderId, reason, total } });
      })
      .on('order.shipped', async (event) => {
        const { orderId, userId, total } = event.payload;
        await this.notify(event.id, await this.recipients.required(userId), { type: 'order.shipped', sourceId: source(event.id), facts: { orderId, total } });
      })
      .on('order.delivered', async (event) => {
        const { orderId, userId, total } = event.payload;
        await this.notify(event.id, await this.recipients.required(userId), { type: 'order.delivered', sourceId: source(event.id), facts: { orderId, total } });
      })
      .on('payment.refunded', async (event) => {
        const { orderId, amount, full } = event.payload;
        const recipient = await this.recipients.required(await this.recipients.ownerOf(orderId));
        await this.notify(event.id, recipient, { type: 'payment.refunded', sourceId: source(event.id), facts: { orderId, amount, full } });
      });
  }

  /** Order events say whose order it is since notifications exist; older ones are asked of the order service. */
  private ownerOf(event: EventOf<'order.confirmed'> | EventOf<'order.cancelled'>): Promise<string> {
    return event.payload.userId ? Promise.resolve(event.payload.userId) : this.recipients.ownerOf(event.payload.orderId);
  }

  private async notify(eventId: string, recipient: Recipient, notice: Notice): Promise<void> {
    let written: Written | undefined;
    await handleOnce(this.prisma, NOTIFICATION_CONSUMER, eventId, async (tx) => {
      written = await this.notifier.write(tx, recipient, notice);
    });
    this.notifier.committed(written);
  }
}
