import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { REVIEW_STORE, type ReviewStore } from '../store';
import { INTENT_GRACE_MS } from './outbox-entries';
import { SummaryPublisher } from './summary-publisher';

/**
 * The writers' side of the summary outbox (see SummaryOutboxEntry in store.ts): a change to a
 * review that may move its product's summary goes through `record`, which writes an intent before
 * it and a change after it, then wakes the publisher.
 *
 * Why both: a change entry written only after the review write is lost if the process dies in
 * between; an intent written only before it may be announced before the review write lands. With
 * both, the change is announced right after it landed, and a death anywhere leaves the intent,
 * announced after INTENT_GRACE_MS. (No transactions: FerretDB has none, a real MongoDB only on a
 * replica set.)
 */
@Injectable()
export class SummaryOutbox {
  constructor(
    @Inject(REVIEW_STORE) private readonly store: ReviewStore,
    private readonly publisher: SummaryPublisher,
  ) {}

  /** Whether an announcement is owed for the product: a change (or its intent) not yet published. */
  async owes(productId: string): Promise<boolean> {
    // Equality on a top-level field: FerretDB v1.24 hands it to Postgres, which returns only these entries.
    return (await this.store.summaryOutbox.findOne({ productId }, { projection: { _id: 1 } })) !== null;
  }

  /**
   * Runs `write`, a change to one of `productId`'s reviews, between its intent and its change.
   * `changed` tells from the write's answer whether it changed anything (a missed filter did not:
   * the intent is withdrawn). A write that throws leaves the intent, as its outcome is unknown.
   */
  async record<T>(productId: string, write: () => Promise<T>, changed: (result: T) => boolean): Promise<T> {
    const intentId = randomUUID();
    const now = new Date();
    await this.store.summaryOutbox.insertOne({ _id: intentId, productId, kind: 'intent', dueAt: new Date(now.getTime() + INTENT_GRACE_MS), createdAt: now });
    const result = await write();
    if (changed(result)) {
      await this.store.summaryOutbox.insertOne({ _id: randomUUID(), productId, kind: 'change', intentId, createdAt: new Date() });
      this.publisher.nudge();
    } else {
      await this.store.summaryOutbox.deleteOne({ _id: intentId });
    }
    return result;
  }
}
