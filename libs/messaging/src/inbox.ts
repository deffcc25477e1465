/** The part of a Prisma client (or transaction) the inbox needs. */
export interface InboxTransactionClient {
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<number>;
}

export interface InboxClient<Tx extends InboxTransactionClient> {
  $transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
}

/**
 * Runs `handle` at most once per (consumer, event id): the inbox row and the handler's writes
 * commit together, so a redelivered event finds its row and changes nothing.
 * Returns false when the event had already been handled.
 */
export async function handleOnce<Tx extends InboxTransactionClient>(
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
