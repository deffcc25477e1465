import type { Logger } from 'pino';
import type { CheckoutSaga } from './checkout-saga';

export interface CheckoutTimeoutSweeperOptions {
  intervalMs: number;
  logger: Logger;
  /** Orders cancelled per transaction: small, so order rows stay locked only briefly. */
  batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 50;

/**
 * Cancels checkouts that stalled (no reservation answer, no payment, payment service down) once
 * they are older than the timeout; their order.cancelled makes inventory release and payment cancel.
 * Every replica runs one; they share the work through SKIP LOCKED rather than electing a leader.
 */
export class CheckoutTimeoutSweeper {
  private stopped = false;
  private wake?: () => void;
  private loop?: Promise<void>;

  constructor(
    private readonly saga: CheckoutSaga,
    private readonly options: CheckoutTimeoutSweeperOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** Cancels every checkout due now, batch after batch; returns how many. */
  async sweep(): Promise<number> {
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    let total = 0;
    while (!this.stopped) {
      const cancelled = await this.saga.cancelTimedOut(batchSize);
      total += cancelled;
      if (cancelled < batchSize) break;
    }
    return total;
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    while (!this.stopped) {
      try {
        const cancelled = await this.sweep();
        if (cancelled > 0) logger.info({ cancelled }, 'cancelled checkouts that timed out');
      } catch (error) {
        // The database being away only delays the timeout; the next round tries again.
        if (!this.stopped) logger.warn({ err: error }, 'checkout timeout sweep failed, will retry');
      }
      await this.sleep(this.options.intervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
