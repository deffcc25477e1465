import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ServiceMetrics } from '@shop/observability';
import { type Consumer, type IHeaders, Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { deliverBatch, type RetryPolicy } from './delivery';
import { BatchCoalescer } from './batch-coalescer';
import { OffsetCommitter } from './offset-committer';
import { stopIdleRequestQueueTimers } from './kafkajs-request-queue';
import { consumerLagGauge, PartitionLag } from './consumer-lag';
import type { EventBus, InboundMessage, OutboundMessage, Subscription } from './event-bus';
import type { KafkaSecurity } from './kafka-security';

export interface KafkaEventBusOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  metrics?: ServiceMetrics;
  retry?: RetryPolicy;
  /** TLS and SASL (kafkaSecurity() maps them from KAFKA_SSL* and KAFKA_SASL*); none: plain TCP. */
  security?: KafkaSecurity;
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) result[name] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return result;
}

/** Messages of a fetched batch handled before offsets are resolved and a heartbeat is sent. */
const KAFKA_SLICE = 200;
/** Partitions whose batches are taken at once (and gathered into one delivery). */
const PARTITIONS_AT_ONCE = 64;
/** How often a consumer group commits what it has handled (see OffsetCommitter). */
const COMMIT_INTERVAL_MS = 1000;

export class KafkaEventBus implements EventBus {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly consumers: Array<{ consumer: Consumer; committer: OffsetCommitter }> = [];
  private connected = false;
  private closed = false;

  constructor(private readonly options: KafkaEventBusOptions) {
    stopIdleRequestQueueTimers();
    const logger = options.logger.child({ component: 'kafka' });
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      ...options.security,
      connectionTimeout: 3000,
      requestTimeout: 10_000,
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => {
        const { message, ...rest } = entry.log;
        if (entry.level <= logLevel.ERROR) logger.error(rest, message);
        else logger.warn(rest, message);
      },
    });
    // Idempotent producer with acks from all replicas: a retried send never duplicates or reorders.
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async publish(messages: OutboundMessage[]): Promise<void> {
    if (messages.length === 0) return;
    // After close a publish would connect a new producer nobody disconnects; the outbox keeps the rows.
    if (this.closed) throw new Error('the event bus is closed');
    await this.connect();
    const byTopic = new Map<string, OutboundMessage[]>();
    for (const message of messages) byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      })),
    });
  }

  /**
   * Starts consuming in the background and returns at once: a service must start, accept work and
   * fill its outbox while Kafka is unreachable; the consumer keeps trying until the broker answers.
   */
  async subscribe(subscription: Subscription): Promise<void> {
    void this.consumeUntilClosed(subscription);
  }

  private async consumeUntilClosed({ groupId: sharedGroupId, topics, handler, batchHandler, batchInOrder, retry, concurrency, broadcast }: Subscription): Promise<void> {
    // A broadcast consumer is a group of its own, for this process only, starting at the end of each topic.
    const groupId = broadcast ? `${sharedGroupId}.${hostname()}.${process.pid}.${randomBytes(4).toString('hex')}` : sharedGroupId;
    let attempt = 0;
    while (!this.closed) {
      const consumer = this.kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 2000, retry: { retries: 10 } });
      try {
        await this.ensureTopics(topics);
        await consumer.connect();
        // A new group starts at the beginning: events published before the consumer first ran are not skipped.
        await consumer.subscribe({ topics, fromBeginning: !broadcast });
        if (this.closed) {
          await consumer.disconnect();
          return;
        }
        const committer = new OffsetCommitter({
          commit: (positions) => consumer.commitOffsets(positions),
          intervalMs: COMMIT_INTERVAL_MS,
          onError: (error) => this.options.logger.warn({ err: error, group: groupId }, 'offset commit failed; the next one carries on'),
        });
        this.consumers.push({ consumer, committer });
        // Labelled with the shared group, not a broadcast member's own: one series per group, not per process start.
        const lag = new PartitionLag(consumerLagGauge(this.options.metrics), sharedGroupId);
        consumer.on(consumer.events.GROUP_JOIN, () => lag.reset());
        // Joining the group can wait for a crashed predecessor's session to time out; kafkajs
        // retries and restarts the runner itself from here on.
        // All partitions' batches of a fetch are handled as one batch: different keys side by side (one
        // transaction for a batch handler), one key's messages in order; each partition's offset is
        // resolved only once everything before it is handled.
        const coalescer = new BatchCoalescer<InboundMessage>((messages) =>
          deliverBatch(groupId, messages, handler, {
            logger: this.options.logger,
            metrics: this.options.metrics,
            retry: retry ?? this.options.retry,
            concurrency,
            batchHandler,
            batchInOrder,
            system: 'kafka',
            publishDeadLetter: (dead) => this.publish([dead]),
          }),
        );
        void consumer
          .run({
            autoCommit: false,
            partitionsConsumedConcurrently: PARTITIONS_AT_ONCE,
            eachBatchAutoResolve: false,
            eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
              const partitionLag = lag.of(batch.topic, batch.partition);
              const highWatermark = Number(batch.highWatermark);
              if (batch.messages.length > 0) partitionLag?.set(Math.max(0, highWatermark - Number(batch.messages[0]!.offset)));
              for (let start = 0; start < batch.messages.length; start += KAFKA_SLICE) {
                if (!isRunning() || isStale()) return;
                const slice = batch.messages.slice(start, start + KAFKA_SLICE);
                await coalescer.submit(
                  slice.map((message) => ({
                    topic: batch.topic,
                    key: message.key?.toString() ?? null,
                    value: message.value?.toString() ?? '',
                    headers: headersToStrings(message.headers),
                  })),
                );
                const last = slice[slice.length - 1]!.offset;
                resolveOffset(last);
                committer.handled(batch.topic, batch.partition, last);
                partitionLag?.set(Math.max(0, highWatermark - Number(last) - 1));
                await heartbeat();
              }
            },
          })
          .catch((error: unknown) => this.options.logger.error({ err: error, group: groupId }, 'Kafka consumer stopped'));
        return;
      } catch (error) {
        await consumer.disconnect().catch(() => undefined);
        attempt += 1;
        const backoff = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
        this.options.logger.warn({ err: error, group: groupId, backoffMs: backoff }, 'cannot reach Kafka to consume yet; retrying');
        await new Promise((resolve) => setTimeout(resolve, backoff).unref());
      }
    }
  }

  async ping(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.describeCluster();
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled(
      this.consumers.map(async ({ consumer, committer }) => {
        await committer.flush();
        await consumer.disconnect();
      }),
    );
    await this.producer.disconnect().catch(() => undefined);
    this.connected = false;
  }

  private async ensureTopics(topics: string[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((topic) => !existing.has(topic));
      if (missing.length > 0) {
        await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: 3 })) });
      }
    } finally {
      await admin.disconnect();
    }
  }
}
