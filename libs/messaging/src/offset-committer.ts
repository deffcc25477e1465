/** A partition's position: the offset of the next message to read (the last handled one plus one). */
export interface PartitionPosition {
  topic: string;
  partition: number;
  offset: string;
}

export interface OffsetCommitterOptions {
  /** Writes positions to the group's coordinator (kafkajs' `consumer.commitOffsets`). */
  commit: (positions: PartitionPosition[]) => Promise<void>;
  intervalMs: number;
  onError: (error: unknown) => void;
  /** Injected for tests; the default is `setTimeout` with an unref'd timer. */
  schedule?: (run: () => void, ms: number) => { cancel(): void };
}

const unrefTimeout = (run: () => void, ms: number) => {
  const timer = setTimeout(run, ms);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
};

/**
 * Commits a consumer group's handled offsets together, at most once an interval, instead of after
 * every fetched batch: each commit is a request the broker appends to `__consumer_offsets`, and
 * committing per batch was a large share of the broker's work per order. What a crash leaves
 * uncommitted is redelivered, and every handler already takes redeliveries (the inbox); shutdown
 * commits what is pending before the consumer leaves.
 */
export class OffsetCommitter {
  private readonly pending = new Map<string, PartitionPosition>();
  private timer?: { cancel(): void };
  private committing: Promise<void> = Promise.resolve();

  constructor(private readonly options: OffsetCommitterOptions) {}

  /** Records that everything up to and including `offset` of this partition is handled. */
  handled(topic: string, partition: number, offset: string): void {
    this.pending.set(`${topic}:${partition}`, { topic, partition, offset: (BigInt(offset) + 1n).toString() });
    this.timer ??= (this.options.schedule ?? unrefTimeout)(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.intervalMs);
  }

  /** Commits what is pending now; commits never overlap, so a later position never loses to an earlier one. */
  flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    this.committing = this.committing.then(async () => {
      if (this.pending.size === 0) return;
      const positions = [...this.pending.values()];
      this.pending.clear();
      // A failed commit (often a rebalance that moved the partition) is not retried: the next
      // handled batch carries a newer position, and what stays uncommitted is only redelivered.
      await this.options.commit(positions).catch(this.options.onError);
    });
    return this.committing;
  }
}
