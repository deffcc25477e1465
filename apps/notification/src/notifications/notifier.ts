import { Injectable } from '@nestjs/common';
import { createEvent, type NotificationItemV1 } from '@shop/contracts';
import { writeOutbox } from '@shop/messaging';
import { randomUUID } from 'node:crypto';
import { MailDispatcher } from '../mail/mail-dispatcher';
import { NotificationMetrics } from '../notification-metrics';
import { allows, PreferencesService } from '../preferences/preferences.service';
import type { Tx } from '../prisma';
import { CATEGORY, type Facts, type NotificationType, renderNotification } from '../templates/templates';

/** Who is told: their profile as the user service knows it. */
export interface Recipient {
  userId: string;
  /** Empty when there is no address to mail. */
  email: string;
  name: string;
  locale: string;
}

/** What to tell them and why: one notice per (user, source) ever reaches them. */
export interface Notice {
  type: NotificationType;
  /** "event:<event id>", or the reminder's own key. */
  sourceId: string;
  facts: Omit<Facts, 'name'>;
}

/** What a notice became. */
export interface Written {
  type: NotificationType;
  inApp?: { seq: number; item: NotificationItemV1 };
  emailId?: string;
  /** Channels the recipient switched off for this kind of notice. */
  suppressed: Array<'email' | 'in_app'>;
}

/** The facts worth keeping with an in-app notification, for clients (no name, nothing undefined). */
function dataOf(facts: Omit<Facts, 'name'>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined));
}

/**
 * Turns a notice into what the recipient gets, within the caller's transaction (the one that records
 * the event in the inbox): the in-app notification with the user's next sequence number, announced
 * as notification.created through the outbox (gateways push it to open streams), and the email to
 * send, rendered now in the recipient's language. Each channel only as their preferences allow;
 * order emails always. A (user, source) pair is notified once, whatever arrives twice.
 */
@Injectable()
export class Notifier {
  constructor(
    private readonly preferences: PreferencesService,
    private readonly metrics: NotificationMetrics,
    private readonly dispatcher: MailDispatcher,
  ) {}

  async write(tx: Tx, recipient: Recipient, notice: Notice): Promise<Written> {
    const category = CATEGORY[notice.type];
    const preferences = await this.preferences.get(recipient.userId, tx);
    const rendered = renderNotification(notice.type, recipient.locale, { ...notice.facts, name: recipient.name });
    const written: Written = { type: notice.type, suppressed: [] };

    if (allows(preferences, 'inApp', category)) {
      const id = randomUUID();
      const data = dataOf(notice.facts);
      // The counter row is locked until commit: one user's notifications commit in sequence order.
      const rows = await tx.$queryRaw<Array<{ seq: bigint; created_at: Date }>>`
        WITH counter AS (
          INSERT INTO notification_counters (user_id, last_seq) VALUES (${recipient.userId}, 1)
          ON CONFLICT (user_id) DO UPDATE SET last_seq = notification_counters.last_seq + 1
          RETURNING last_seq)
        INSERT INTO notifications (id, user_id, seq, type, title, body, data, source_id)
        SELECT ${id}::uuid, ${recipient.userId}, last_seq, ${notice.type}, ${rendered.title}, ${rendered.body}, ${JSON.stringify(data)}::jsonb, ${notice.sourceId}
          FROM counter
        ON CONFLICT DO NOTHING
        RETURNING seq, created_at`;
      const row = rows[0];
      if (row) {
        const seq = Number(row.seq);
        const item: NotificationItemV1 = { id, type: notice.type, title: rendered.title, body: rendered.body, data, readAt: null, createdAt: row.created_at.toISOString() };
        await writeOutbox(tx, [createEvent('notification.created', recipient.userId, { userId: recipient.userId, seq, notification: item })]);
        written.inApp = { seq, item };
      }
    } else {
      written.suppressed.push('in_app');
    }

    if (!allows(preferences, 'email', category)) {
      written.suppressed.push('email');
    } else if (recipient.email) {
      const rows = await tx.$queryRaw<Array<{ id: string }>>`
        INSERT INTO email_deliveries (id, user_id, source_id, type, to_address, locale, subject, text, html)
        VALUES (${randomUUID()}::uuid, ${recipient.userId}, ${notice.sourceId}, ${notice.type}, ${recipient.email}, ${rendered.language},
                ${rendered.subject}, ${rendered.text}, ${rendered.html})
        ON CONFLICT (user_id, source_id) DO NOTHING
        RETURNING id::text AS id`;
      written.emailId = rows[0]?.id;
    }
    return written;
  }

  /** Once the transaction committed: counts what was made and wakes the mail dispatcher for a new email. */
  committed(written: Written | undefined): void {
    if (!written) return;
    if (written.inApp) this.metrics.sent('in_app', written.type);
    for (const channel of written.suppressed) this.metrics.suppressed(channel, written.type);
    if (written.emailId) this.dispatcher.wake();
  }
}
