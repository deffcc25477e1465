/**
 * Gathers the messages handed in during one short moment into one delivery: Kafka gives a consumer
 * one batch per partition, and a fetch that returns twenty partitions' worth would otherwise be
 * twenty small transactions. Each caller waits for the delivery that took its messages.
 */
export class BatchCoalescer<T> {
  private pending: Array<{ items: T[]; resolve: () => void; reject: (error: unknown) => void }> = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly deliver: (items: T[]) => Promise<void>,
    private readonly gatherMs = 2,
  ) {}

  submit(items: T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      this.timer ??= setTimeout(() => void this.flush(), this.gatherMs);
    });
  }

  private async flush(): Promise<void> {
    const waiting = this.pending;
    this.pending = [];
    this.timer = undefined;
    try {
      await this.deliver(waiting.flatMap((entry) => entry.items));
      for (const entry of waiting) entry.resolve();
    } catch (error) {
      for (const entry of waiting) entry.reject(error);
    }
  }
}
