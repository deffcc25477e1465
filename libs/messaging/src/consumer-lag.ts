import type { ServiceMetrics } from '@shop/observability';
import type { Gauge } from 'prom-client';

export type LagLabels = 'group' | 'topic' | 'partition';

/**
 * shop_messaging_consumer_lag{group,topic,partition}: messages on the bus that a consumer group has
 * not handled yet. Kafka consumers set it from each fetched batch (the partition's high watermark
 * against the last offset handled); the Postgres event log reads it from the log when Prometheus
 * scrapes (`collect`), with partition "0" (the log has one).
 */
export function consumerLagGauge(metrics: ServiceMetrics | undefined, collect?: (gauge: Gauge<LagLabels>) => Promise<void>): Gauge<LagLabels> | undefined {
  return metrics?.gauge(
    'shop_messaging_consumer_lag',
    'Messages on the bus not yet handled by this consumer group (Kafka: per partition this process holds)',
    ['group', 'topic', 'partition'],
    collect,
  );
}

/** The Kafka partitions' lag series one consumer group's member set, dropped when the group rebalances. */
export class PartitionLag {
  private readonly held = new Map<string, Gauge.Internal<LagLabels>>();

  constructor(
    private readonly gauge: Gauge<LagLabels> | undefined,
    private readonly group: string,
  ) {}

  /** The series of one partition, made once. */
  of(topic: string, partition: number): Gauge.Internal<LagLabels> | undefined {
    if (!this.gauge) return undefined;
    const id = `${topic}\u0000${partition}`;
    let series = this.held.get(id);
    if (!series) this.held.set(id, (series = this.gauge.labels({ group: this.group, topic, partition: String(partition) })));
    return series;
  }

  /** After a rebalance this member may hold other partitions: the old series would lie. */
  reset(): void {
    if (!this.gauge) return;
    for (const id of this.held.keys()) {
      const [topic, partition] = id.split('\u0000');
      this.gauge.remove({ group: this.group, topic: topic!, partition: partition! });
    }
    this.held.clear();
  }
}
