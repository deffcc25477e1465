import type { OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * The order a service lets go of things, first to last. Nothing later may still be needed by
 * something earlier: a relay publishing while the bus closes reconnects a closed Kafka producer
 * (and keeps the process alive), and a loop still in a transaction needs its database.
 *
 * - `intake`: the gRPC server stops taking calls (Nest has already closed HTTP by then);
 * - `loops`: sweepers, timers and other background work finish what they are doing;
 * - `relay`: the outbox relay finishes its batch;
 * - `bus`: the event bus closes, its consumers finishing the message in hand;
 * - `clients`: gRPC clients of other services, caches, search engines;
 * - `storage`: Prisma disconnects, last.
 */
export const STOP_STAGES = ['intake', 'loops', 'relay', 'bus', 'clients', 'storage'] as const;

export type StopStage = (typeof STOP_STAGES)[number];

interface Step {
  stage: StopStage;
  name: string;
  stop: () => unknown;
}

/**
 * The one place a service's shutdown order lives. Whatever starts something registers how to stop
 * it, under its stage, as soon as it exists; `stop()` then runs the stages in STOP_STAGES order and,
 * within a stage, one step after another in the order they were added. A failing step is logged and
 * the rest still run. Nest runs it when the application shuts down; start-up runs it when a start fails.
 */
export class ShutdownSequence implements OnApplicationShutdown {
  private readonly steps: Step[] = [];
  private stopping?: Promise<void>;

  constructor(private readonly logger?: Logger) {}

  add(stage: StopStage, name: string, stop: () => unknown): void {
    if (this.stopping) {
      // Made while the service was already stopping: let it go at once.
      void this.runStep({ stage, name, stop });
      return;
    }
    this.steps.push({ stage, name, stop });
  }

  /** Runs every step once, in order; later calls wait for the same run. Never throws. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const stage of STOP_STAGES) {
        for (const step of this.steps.filter((candidate) => candidate.stage === stage)) await this.runStep(step);
      }
    })();
    return this.stopping;
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  private async runStep(step: Step): Promise<void> {
    const started = Date.now();
    try {
      await step.stop();
      this.logger?.debug({ stage: step.stage, step: step.name, ms: Date.now() - started }, `stopped ${step.name}`);
    } catch (error) {
      this.logger?.warn({ err: error, stage: step.stage, step: step.name }, `${step.name} failed to stop`);
    }
  }
}
