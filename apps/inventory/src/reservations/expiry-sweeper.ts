import type { Logger } from 'pino';
import type { ReservationsService } from './reservations.service';

export interface ExpirySweeperOptions {
  intervalMs: number;
  logger: Logger;
  /** Reservations expired per transaction: small, so stock rows stay locked only briefly. */
  batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 50;

/**
 * Gives back the stock of reservations nobody committed or released in time. Every replica runs
 * one; they share the work through SKIP LOCKED rather than electing a leader, so expiry goes on
 * while any replica is up.
 */
export class ExpirySweeper {
  private stopped = false;
  private wake?: () => void;
  private loop?: Promise<void>;

  constructor(
    private readonly reservations: ReservationsService,
    private readonly options: ExpirySweeperOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** Expires everything due now, batch after batch; returns how many. */
  async sweep(): Promise<number> {
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    let total = 0;
    while (!this.stopped) {
      const expired = await this.reservations.expireDue(batchSize);
      total += expired;
      if (expired < batchSize) break;
    }
    return total;
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    while (!this.stopped) {
      try {
        const expired = await this.sweep();
        if (expired > 0) logger.info({ expired }, 'expired reservations released their stock');
      } catch (error) {
        // The database being away only delays expiry; the next round tries again.
        if (!this.stopped) logger.warn({ err: error }, 'reservation expiry sweep failed, will retry');
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
