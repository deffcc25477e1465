import type { FactoryProvider, InjectionToken, OnApplicationBootstrap, Type } from '@nestjs/common';
import type { Logger } from 'pino';
import { ShutdownSequence } from './shutdown-sequence';

export interface BatchSweeperOptions {
  /** What a batch does, for the logs: "expired reservations", "timed-out checkouts"… */
  what: string;
  intervalMs: number;
  logger: Logger;
  /** Rows handled per transaction: small, so rows stay locked only briefly. */
  batchSize?: number;
  /** Handles at most `limit` due rows in one transaction; returns how many it handled. */
  processBatch(limit: number): Promise<number>;
}

const DEFAULT_BATCH_SIZE = 50;

/**
 * Runs a batch job every interval until nothing is due. Every replica runs one; batches that lock
 * with SKIP LOCKED share the work without electing a leader, so the job goes on while any replica
 * is up. A failing round (the database away) only delays the work to the next one. As a provider
 * (provideSweeper) it starts once the application has booted and stops with the other loops.
 */
export class BatchSweeper implements OnApplicationBootstrap {
  private stopped = false;
  private nudged = false;
  private wake?: () => void;
  private loop?: Promise<void>;

  constructor(private readonly options: BatchSweeperOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  /** What it sweeps, for logs. */
  get what(): string {
    return this.options.what;
  }

  /** Starts the next round now instead of at the end of the interval (new work was just written). */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** Handles everything due now, batch after batch; returns how many. */
  async sweep(): Promise<number> {
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    let total = 0;
    while (!this.stopped) {
      const handled = await this.options.processBatch(batchSize);
      total += handled;
      if (handled < batchSize) break;
    }
    return total;
  }

  private async run(): Promise<void> {
    const { logger, what } = this.options;
    while (!this.stopped) {
      try {
        const handled = await this.sweep();
        if (handled > 0) logger.info({ handled }, `handled ${what}`);
      } catch (error) {
        if (!this.stopped) logger.warn({ err: error }, `sweep of ${what} failed, will retry`);
      }
      await this.sleep(this.options.intervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    // A nudge during the round just made may have come after the round read what was due.
    if (this.stopped || this.nudged) {
      this.nudged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/**
 * A sweeper as a provider: `create` makes it from the injected `inject` values; it starts when the
 * application has booted and stops in the `loops` stage, so its transaction ends before Prisma disconnects.
 */
export function provideSweeper<T extends BatchSweeper>(
  token: Type<T>,
  inject: InjectionToken[],
  /** Takes the values of `inject`, in order. */
  create: (...deps: never[]) => T,
): FactoryProvider<T> {
  return {
    provide: token,
    inject: [ShutdownSequence, ...inject],
    useFactory: (shutdown: ShutdownSequence, ...deps: unknown[]) => {
      const sweeper = create(...(deps as never[]));
      shutdown.add('loops', `sweeper of ${sweeper.what}`, () => sweeper.stop());
      return sweeper;
    },
  };
}
