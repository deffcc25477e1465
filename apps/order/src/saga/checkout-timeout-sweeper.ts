import { BatchSweeper } from '@shop/service-kit';
import type { Logger } from 'pino';
import type { CheckoutSaga } from './checkout-saga';

/**
 * Cancels checkouts that stalled (no reservation answer, no payment, payment service down) once
 * they are older than the timeout; the saga then tells inventory to release and payment to cancel.
 */
export class CheckoutTimeoutSweeper extends BatchSweeper {
  constructor(saga: CheckoutSaga, options: { intervalMs: number; logger: Logger; batchSize?: number }) {
    super({ ...options, what: 'timed-out checkouts', processBatch: (limit) => saga.cancelTimedOut(limit) });
  }
}
