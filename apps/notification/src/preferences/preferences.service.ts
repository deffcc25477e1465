import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@shop/errors';
import type { SqlClient, SqlDatabase } from '@shop/persistence';
import { SQL_DATABASE } from '@shop/service-kit';
import type { Category } from '../templates/templates';

export interface ChannelPreferences {
  orders: boolean;
  account: boolean;
  marketing: boolean;
}

/** `{ email: { orders, account, marketing }, inApp: { orders, account, marketing } }`. */
export interface Preferences {
  email: ChannelPreferences;
  inApp: ChannelPreferences;
}

/** Everything but marketing, which is opt-in. */
export const DEFAULT_PREFERENCES: Preferences = {
  email: { orders: true, account: true, marketing: false },
  inApp: { orders: true, account: true, marketing: false },
};

interface PreferenceRow {
  email_account: boolean;
  email_marketing: boolean;
  in_app_orders: boolean;
  in_app_account: boolean;
  in_app_marketing: boolean;
}

function fromRow(row: PreferenceRow | undefined): Preferences {
  if (!row) return DEFAULT_PREFERENCES;
  return {
    // Order emails are transactional: always sent.
    email: { orders: true, account: row.email_account, marketing: row.email_marketing },
    inApp: { orders: row.in_app_orders, account: row.in_app_account, marketing: row.in_app_marketing },
  };
}

/** Whether a channel carries a kind of notification for someone with these preferences. */
export function allows(preferences: Preferences, channel: 'email' | 'inApp', category: Category): boolean {
  return preferences[channel][category];
}

/** What each user wants to hear of; no row means the defaults. */
@Injectable()
export class PreferencesService {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  async get(userId: string, tx: SqlClient = this.db): Promise<Preferences> {
    return (await this.getMany([userId], tx)).get(userId) ?? DEFAULT_PREFERENCES;
  }

  /** Several users' preferences at once; users without a row get the defaults. */
  async getMany(userIds: string[], tx: SqlClient = this.db): Promise<Map<string, Preferences>> {
    const rows = await tx.$queryRaw<Array<PreferenceRow & { user_id: string }>>`
      SELECT user_id, email_account, email_marketing, in_app_orders, in_app_account, in_app_marketing
        FROM notification_preferences WHERE user_id = ANY(${userIds}::text[])`;
    const found = new Map(rows.map((row) => [row.user_id, fromRow(row)]));
    return new Map(userIds.map((userId) => [userId, found.get(userId) ?? DEFAULT_PREFERENCES]));
  }

  /** Replaces the user's preferences; order emails cannot be switched off (INVALID_ARGUMENT). */
  async update(userId: string, wanted: Preferences): Promise<Preferences> {
    if (!wanted.email.orders) throw AppError.invalid('email.orders cannot be switched off: order emails are transactional');
    const { email, inApp } = wanted;
    const rows = await this.db.$queryRaw<PreferenceRow[]>`
      INSERT INTO notification_preferences (user_id, email_account, email_marketing, in_app_orders, in_app_account, in_app_marketing, updated_at)
      VALUES (${userId}, ${email.account}, ${email.marketing}, ${inApp.orders}, ${inApp.account}, ${inApp.marketing}, now())
      ON CONFLICT (user_id) DO UPDATE SET email_account = EXCLUDED.email_account, email_marketing = EXCLUDED.email_marketing,
        in_app_orders = EXCLUDED.in_app_orders, in_app_account = EXCLUDED.in_app_account, in_app_marketing = EXCLUDED.in_app_marketing,
        updated_at = now()
      RETURNING email_account, email_marketing, in_app_orders, in_app_account, in_app_marketing`;
    return fromRow(rows[0]);
  }
}
