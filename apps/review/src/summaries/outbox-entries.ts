import type { Filter } from 'mongodb';
import type { SummaryOutboxEntry } from '../store';

/**
 * How long after its intent a review write has surely landed or failed. An intent still
 * unconfirmed by then is announced anyway: its writer died (or lost its connection) after the
 * write, or the write failed, and a duplicate is harmless. Far above any write seen here (FerretDB
 * under the review bench: seconds), since a write landing after its intent was announced and whose
 * writer then died would be announced only by the product's next change.
 */
export const INTENT_GRACE_MS = 60_000;

/** The outbox entries due now: every confirmed change, and intents past their grace. */
export function dueEntries(now: Date): Filter<SummaryOutboxEntry> {
  return { $or: [{ kind: 'change' }, { kind: 'intent', dueAt: { $lte: now } }] };
}

/**
 * What a batch of outbox entries asks of the publisher: the products whose summaries to announce,
 * and the entries to delete once announced (each entry read, and the intent each change confirms).
 */
export function outboxBatch(entries: ReadonlyArray<Pick<SummaryOutboxEntry, '_id' | 'productId' | 'intentId'>>): { productIds: string[]; settled: string[] } {
  const productIds = new Set<string>();
  const settled = new Set<string>();
  for (const entry of entries) {
    productIds.add(entry.productId);
    settled.add(entry._id);
    if (entry.intentId) settled.add(entry.intentId);
  }
  return { productIds: [...productIds], settled: [...settled] };
}
