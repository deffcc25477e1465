import type { SqlClient } from '@shop/persistence';
import type { RawSqlClient } from './outbox';

export type InboxQueryClient = Pick<SqlClient, '$queryRaw'>;

export interface InboxClient<Tx extends RawSqlClient> {
  $transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
}

/**
 * Runs `handle` at most once per (consumer, event id): the inbox row and the handler's writes
 * commit together, so a redelivered event finds its row and changes nothing.
 * Returns false when the event had already been handled.
 */
export async function handleOnce<Tx extends RawSqlClient>(
  client: InboxClient<Tx>,
  consumer: string,
  eventId: string,
  handle: (tx: Tx) => Promise<void>,
): Promise<boolean> {
  return client.$transaction(async (tx) => {
    const inserted = await tx.$executeRaw`INSERT INTO inbox_events (consumer, event_id) VALUES (${consumer}, ${eventId}::uuid) ON CONFLICT DO NOTHING`;
    if (inserted === 0) return false;
    await handle(tx);
    return true;
  });
}

/**
 * The batch form of `handleOnce`: in one transaction, records every event id this consumer has not
 * handled yet and runs `handle` with those, so their inbox rows commit with what they caused.
 */
export async function handleEachOnce<Tx extends RawSqlClient & InboxQueryClient>(
  client: InboxClient<Tx>,
  consumer: string,
  eventIds: string[],
  handle: (tx: Tx, fresh: Set<string>) => Promise<void>,
): Promise<Set<string>> {
  return client.$transaction(async (tx) => {
    const inserted = await tx.$queryRaw<Array<{ event_id: string }>>`
      INSERT INTO inbox_events (consumer, event_id) SELECT ${consumer}, id FROM unnest(${eventIds}::uuid[]) AS id
      ON CONFLICT DO NOTHING RETURNING event_id::text AS event_id`;
    const fresh = new Set(inserted.map((row) => row.event_id));
    if (fresh.size > 0) await handle(tx, fresh);
    return fresh;
  });
}
