import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@shop/errors';
import type { SqlDatabase } from '@shop/persistence';
import { SQL_DATABASE } from '@shop/service-kit';
import { isUuid } from '@shop/validation';

export interface StoredNotification {
  id: string;
  seq: number;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  readAt: Date | null;
  createdAt: Date;
}

export interface NotificationPage {
  items: StoredNotification[];
  total: number;
  page: number;
  limit: number;
  unread: number;
}

export const MAX_PAGE_SIZE = 100;

interface Row {
  id: string;
  seq: bigint;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  read_at: Date | null;
  created_at: Date;
}

function fromRow(row: Row): StoredNotification {
  return { id: row.id, seq: Number(row.seq), type: row.type, title: row.title, body: row.body, data: row.data, readAt: row.read_at, createdAt: row.created_at };
}

export function assertUserId(userId: string): string {
  if (!userId || userId.length > 200) throw AppError.invalid('user_id is required');
  return userId;
}

/** A user's in-app notifications: their list, what a stream missed, marking them read. Never another user's. */
@Injectable()
export class NotificationsService {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  /** Newest first, with how many of the user's notifications are unread. */
  async list(userId: string, page: number, limit: number, unreadOnly: boolean): Promise<NotificationPage> {
    assertUserId(userId);
    const size = Math.min(Math.max(limit || 20, 1), MAX_PAGE_SIZE);
    const number = Math.max(page || 1, 1);
    if (number > 100_000) throw AppError.invalid('page is too large');
    // One statement, one snapshot: the counts and the page agree even while notifications are being made.
    const rows = await this.db.$queryRaw<Array<Omit<Row, 'id'> & { id: string | null; total: number; unread: number }>>`
      SELECT c.total, c.unread, p.id, p.seq, p.type, p.title, p.body, p.data, p.read_at, p.created_at
        FROM (SELECT count(*)::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread FROM notifications WHERE user_id = ${userId}) c
        LEFT JOIN LATERAL (
          SELECT id::text AS id, seq, type, title, body, data, read_at, created_at FROM notifications
           WHERE user_id = ${userId} AND (${!unreadOnly} OR read_at IS NULL)
           ORDER BY seq DESC LIMIT ${size} OFFSET ${(number - 1) * size}) p ON true
       ORDER BY p.seq DESC`;
    const { total, unread } = rows[0] ?? { total: 0, unread: 0 };
    const items = rows.filter((row): row is Row & { total: number; unread: number } => row.id !== null).map(fromRow);
    return { items, total: unreadOnly ? unread : total, page: number, limit: size, unread };
  }

  /** Oldest first, the user's notifications after sequence number `afterSeq` (at most `limit`). */
  async since(userId: string, afterSeq: number, limit: number): Promise<StoredNotification[]> {
    assertUserId(userId);
    const size = Math.min(Math.max(limit || MAX_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const rows = await this.db.$queryRaw<Row[]>`
      SELECT id::text AS id, seq, type, title, body, data, read_at, created_at FROM notifications
       WHERE user_id = ${userId} AND seq > ${Math.max(0, Math.floor(afterSeq || 0))}::bigint
       ORDER BY seq LIMIT ${size}`;
    return rows.map(fromRow);
  }

  /** Marks one of the user's notifications read (again: unchanged); NOT_FOUND for anyone else's. */
  async markRead(userId: string, notificationId: string): Promise<StoredNotification> {
    assertUserId(userId);
    if (!isUuid(notificationId)) throw AppError.notFound('notification not found');
    const rows = await this.db.$queryRaw<Row[]>`
      UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = ${notificationId}::uuid AND user_id = ${userId}
      RETURNING id::text AS id, seq, type, title, body, data, read_at, created_at`;
    if (!rows[0]) throw AppError.notFound('notification not found');
    return fromRow(rows[0]);
  }

  async markAllRead(userId: string): Promise<{ marked: number; unread: number }> {
    assertUserId(userId);
    const marked = await this.db.$executeRaw`UPDATE notifications SET read_at = now() WHERE user_id = ${userId} AND read_at IS NULL`;
    return { marked, unread: 0 };
  }
}
