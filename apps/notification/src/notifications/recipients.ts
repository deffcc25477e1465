import { status } from '@grpc/grpc-js';
import { Inject, Injectable } from '@nestjs/common';
import { isServiceError } from '@shop/errors';
import { ORDER_CLIENT, type OrderClient, USER_CLIENT, type UserClient } from '../downstreams';
import type { SqlClient, SqlDatabase } from '@shop/persistence';
import { SQL_DATABASE } from '@shop/service-kit';

/** Who is told: their address, name and locale. */
export interface Recipient {
  userId: string;
  /** Empty when there is no address to mail. */
  email: string;
  name: string;
  locale: string;
}

/** A recipient as the user service said at `asOf`. */
export interface RecipientFacts extends Recipient {
  asOf: Date;
}

/** Of several accounts of one recipient, the newest. */
export function newest(...candidates: Array<RecipientFacts | undefined>): RecipientFacts | undefined {
  return candidates.reduce<RecipientFacts | undefined>((best, candidate) => (candidate && (!best || candidate.asOf >= best.asOf) ? candidate : best), undefined);
}

/**
 * Who notices are for. The service keeps each recipient's address, name and locale from the user
 * service's events (user.registered, user.profile_changed) in its own table, so a notice costs no
 * call; a user it has not heard of yet is asked of the user service once and kept. Whose order an
 * event is about, when the event does not say, is asked of the order service.
 */
@Injectable()
export class Recipients {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(USER_CLIENT) private readonly users: UserClient,
    @Inject(ORDER_CLIENT) private readonly orders: OrderClient,
  ) {}

  /** The recipients the table knows, of these users. */
  async known(userIds: string[], tx: SqlClient = this.db): Promise<Map<string, RecipientFacts>> {
    if (userIds.length === 0) return new Map();
    const rows = await tx.$queryRaw<Array<{ user_id: string; email: string; name: string; locale: string; as_of: Date }>>`
      SELECT user_id, email, name, locale, as_of FROM recipients WHERE user_id = ANY(${userIds}::text[])`;
    return new Map(rows.map((row) => [row.user_id, { userId: row.user_id, email: row.email, name: row.name, locale: row.locale, asOf: row.as_of }]));
  }

  /** Keeps what the user service said, unless the table already has something newer (events may cross). */
  async remember(tx: SqlClient, facts: RecipientFacts[]): Promise<void> {
    const latest = new Map<string, RecipientFacts>();
    for (const each of facts) latest.set(each.userId, newest(latest.get(each.userId), each)!);
    if (latest.size === 0) return;
    const rows = [...latest.values()].sort((a, b) => (a.userId < b.userId ? -1 : 1));
    await tx.$executeRaw`
      INSERT INTO recipients (user_id, email, name, locale, as_of, updated_at)
      SELECT user_id, email, name, locale, as_of, now() FROM unnest(
        ${rows.map((row) => row.userId)}::text[], ${rows.map((row) => row.email)}::text[], ${rows.map((row) => row.name)}::text[],
        ${rows.map((row) => row.locale)}::text[], ${rows.map((row) => row.asOf.toISOString())}::timestamptz[]) AS r(user_id, email, name, locale, as_of)
      ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, locale = EXCLUDED.locale, as_of = EXCLUDED.as_of, updated_at = now()
       WHERE recipients.as_of <= EXCLUDED.as_of`;
  }

  /** The user service's profile; undefined when it has none (yet). */
  async fetch(userId: string): Promise<RecipientFacts | undefined> {
    try {
      const profile = await this.users.call('getProfile', { userId });
      return { userId, email: profile.email, name: profile.name, locale: profile.locale, asOf: new Date(profile.updatedAt || Date.now()) };
    } catch (error) {
      if (isServiceError(error) && (error.code === status.NOT_FOUND || error.code === status.INVALID_ARGUMENT)) return undefined;
      throw error;
    }
  }

  /** A recipient that must exist by now: the table's, else the user service's (kept); its absence is retried. */
  async required(userId: string): Promise<RecipientFacts> {
    const known = (await this.known([userId])).get(userId);
    if (known) return known;
    const fetched = await this.fetch(userId);
    if (!fetched) throw new Error(`no profile for user ${userId} yet`);
    await this.remember(this.db, [fetched]);
    return fetched;
  }

  /** Whose order it is (events that do not say). */
  async ownerOf(orderId: string): Promise<string> {
    return (await this.orders.call('getOrder', { orderId, userId: '' })).userId;
  }
}
