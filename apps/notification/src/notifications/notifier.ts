import { Injectable } from '@nestjs/common';
import { createEvent, type NotificationItemV1 } from '@shop/contracts';
import { writeOutbox } from '@shop/messaging';
import { randomUUID } from 'node:crypto';
import { MailDispatcher } from '../mail/mail-dispatcher';
import { NotificationMetrics } from '../notification-metrics';
import { allows, DEFAULT_PREFERENCES, type Preferences, PreferencesService } from '../preferences/preferences.service';
import type { SqlClient } from '@shop/persistence';
import { CATEGORY, type Facts, type NotificationType, renderNotification } from '../templates/templates';
import type { Recipient } from './recipients';

export type { Recipient } from './recipients';

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
 * Turns notices into what their recipients get, within the caller's transaction (the one that
 * records the events in the inbox): in-app notifications with each user's next sequence numbers,
 * announced as notification.created through the outbox (gateways push them to open streams), and
 * the emails to send, rendered now in each recipient's language. Each channel only as the
 * recipient's preferences allow; order emails always. A (user, source) pair is notified once,
 * whatever arrives twice. A batch costs a handful of statements, however many notices it holds.
 */
@Injectable()
export class Notifier {
  constructor(
    private readonly preferences: PreferencesService,
    private readonly metrics: NotificationMetrics,
    private readonly dispatcher: MailDispatcher,
  ) {}

  async write(tx: SqlClient, recipient: Recipient, notice: Notice): Promise<Written> {
    return (await this.writeMany(tx, [{ recipient, notice }]))[0]!;
  }

  /** The notices in order: one user's in-app notifications get their sequence numbers in this order. */
  async writeMany(tx: SqlClient, entries: Array<{ recipient: Recipient; notice: Notice }>): Promise<Written[]> {
    if (entries.length === 0) return [];
    const preferences = await this.preferencesOf(tx, [...new Set(entries.map((entry) => entry.recipient.userId))]);
    const prepared = entries.map(({ recipient, notice }) => {
      const wants = preferences.get(recipient.userId) ?? DEFAULT_PREFERENCES;
      const category = CATEGORY[notice.type];
      return {
        recipient,
        notice,
        rendered: renderNotification(notice.type, recipient.locale, { ...notice.facts, name: recipient.name }),
        inApp: allows(wants, 'inApp', category),
        email: allows(wants, 'email', category),
        written: { type: notice.type, suppressed: [] } as Written,
      };
    });

    const inApp = prepared.filter((entry) => entry.inApp);
    if (inApp.length > 0) {
      // Each user's counter moves by their number of new notifications; rows are locked in user order
      // (every writer does so: no deadlocks) until commit, so one user's numbers commit in sequence.
      const counts = new Map<string, number>();
      for (const entry of inApp) counts.set(entry.recipient.userId, (counts.get(entry.recipient.userId) ?? 0) + 1);
      const users = [...counts.keys()].sort();
      const counters = await tx.$queryRaw<Array<{ user_id: string; last_seq: bigint }>>`
        INSERT INTO notification_counters (user_id, last_seq)
        SELECT user_id, n FROM unnest(${users}::text[], ${users.map((user) => counts.get(user)!)}::int[]) AS c(user_id, n) ORDER BY user_id
        ON CONFLICT (user_id) DO UPDATE SET last_seq = notification_counters.last_seq + EXCLUDED.last_seq
        RETURNING user_id, last_seq`;
      const next = new Map(counters.map((row) => [row.user_id, Number(row.last_seq) - counts.get(row.user_id)! + 1]));
      const rows = inApp.map((entry) => {
        const seq = next.get(entry.recipient.userId)!;
        next.set(entry.recipient.userId, seq + 1);
        return { entry, id: randomUUID(), seq, data: dataOf(entry.notice.facts) };
      });
      const inserted = await tx.$queryRaw<Array<{ id: string; created_at: Date }>>`
        INSERT INTO notifications (id, user_id, seq, type, title, body, data, source_id)
        SELECT * FROM unnest(
          ${rows.map((row) => row.id)}::uuid[], ${rows.map((row) => row.entry.recipient.userId)}::text[], ${rows.map((row) => row.seq)}::bigint[],
          ${rows.map((row) => row.entry.notice.type)}::text[], ${rows.map((row) => row.entry.rendered.title)}::text[],
          ${rows.map((row) => row.entry.rendered.body)}::text[], ${rows.map((row) => JSON.stringify(row.data))}::jsonb[],
          ${rows.map((row) => row.entry.notice.sourceId)}::text[])
        ON CONFLICT DO NOTHING
        RETURNING id::text AS id, created_at`;
      const createdAt = new Map(inserted.map((row) => [row.id, row.created_at.toISOString()]));
      const events = [];
      for (const row of rows) {
        const at = createdAt.get(row.id);
        // Not inserted: this user was already told of this source.
        if (!at) continue;
        const { recipient, notice, rendered } = row.entry;
        const item: NotificationItemV1 = { id: row.id, type: notice.type, title: rendered.title, body: rendered.body, data: row.data, readAt: null, createdAt: at };
        row.entry.written.inApp = { seq: row.seq, item };
        events.push(createEvent('notification.created', recipient.userId, { userId: recipient.userId, seq: row.seq, notification: item }));
      }
      await writeOutbox(tx, events);
    }

    const mails = prepared.filter((entry) => entry.email && entry.recipient.email);
    if (mails.length > 0) {
      const ids = mails.map(() => randomUUID());
      const inserted = await tx.$queryRaw<Array<{ id: string }>>`
        INSERT INTO email_deliveries (id, user_id, source_id, type, to_address, locale, subject, text, html)
        SELECT * FROM unnest(
          ${ids}::uuid[], ${mails.map((entry) => entry.recipient.userId)}::text[], ${mails.map((entry) => entry.notice.sourceId)}::text[],
          ${mails.map((entry) => entry.notice.type)}::text[], ${mails.map((entry) => entry.recipient.email)}::text[],
          ${mails.map((entry) => entry.rendered.language)}::text[], ${mails.map((entry) => entry.rendered.subject)}::text[],
          ${mails.map((entry) => entry.rendered.text)}::text[], ${mails.map((entry) => entry.rendered.html)}::text[])
        ON CONFLICT (user_id, source_id) DO NOTHING
        RETURNING id::text AS id`;
      const made = new Set(inserted.map((row) => row.id));
      mails.forEach((entry, index) => {
        if (made.has(ids[index]!)) entry.written.emailId = ids[index];
      });
    }

    for (const entry of prepared) {
      if (!entry.inApp) entry.written.suppressed.push('in_app');
      if (!entry.email) entry.written.suppressed.push('email');
    }
    return prepared.map((entry) => entry.written);
  }

  /** Once the transaction committed: counts what was made and wakes the mail dispatcher for new emails. */
  committed(written: Array<Written | undefined>): void {
    let mail = false;
    for (const each of written) {
      if (!each) continue;
      if (each.inApp) this.metrics.sent('in_app', each.type);
      for (const channel of each.suppressed) this.metrics.suppressed(channel, each.type);
      if (each.emailId) mail = true;
    }
    if (mail) this.dispatcher.wake();
  }

  private async preferencesOf(tx: SqlClient, userIds: string[]): Promise<Map<string, Preferences>> {
    return this.preferences.getMany(userIds, tx);
  }
}
