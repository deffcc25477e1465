import type { ServerResponse } from 'node:http';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { NotificationCreatedV1, NotificationItemV1 } from '@shop/contracts';
import type { ServiceMetrics } from '@shop/observability';
import { APP_CONFIG, LOGGER, METRICS } from '@shop/service-kit';
import type { Logger } from 'pino';
import { Counter, Gauge } from 'prom-client';
import type { GatewayConfig } from '../config';

/** One open stream: whose, where it writes, the last sequence number it sent. */
interface Stream {
  readonly userId: string;
  /** When it was opened (Date.now()): it is ended after NOTIFICATION_STREAM_MAX_SECONDS. */
  readonly openedAt: number;
  res?: ServerResponse;
  lastSeq: number;
  /** Live notifications heard while what it missed was being read: sent after that, in order. */
  pending?: Array<{ seq: number; frame: string }>;
}

/** A slow client (a full socket buffer) is cut off; it reconnects with Last-Event-ID and misses nothing. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** What a stream keeps while catching up, at most. */
const MAX_PENDING = 1000;

/** `id: <seq>`, `event: notification`, `data: <the item as JSON>`. */
export function notificationFrame(seq: number, item: NotificationItemV1): string {
  return `id: ${seq}\nevent: notification\ndata: ${JSON.stringify(item)}\n\n`;
}

/**
 * The notification streams this gateway holds, by user. Every replica hears every
 * notification.created (a broadcast subscription) and writes it to the streams it holds for that
 * user, so a shopper's stream may be on any replica. Each stream remembers the last sequence number
 * it sent and skips anything at or below it (what catching up already sent, a redelivered event).
 * One timer sends every stream its heartbeat; a stream costs its socket and a small record.
 */
@Injectable()
export class NotificationStreams implements OnModuleDestroy {
  private readonly byUser = new Map<string, Set<Stream>>();
  private heartbeat?: NodeJS.Timeout;
  private open = 0;
  private readonly openGauge: Gauge;
  private readonly pushed: Counter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: ServiceMetrics,
  ) {
    this.openGauge =
      (metrics.registry.getSingleMetric('shop_gateway_notification_streams') as Gauge | undefined) ??
      new Gauge({ name: 'shop_gateway_notification_streams', help: 'Notification streams open on this gateway', registers: [metrics.registry] });
    this.pushed = metrics.counter('shop_gateway_notifications_pushed_total', 'Notifications written to open streams (live or caught up)', []);
  }

  /** How many streams are open now. */
  get size(): number {
    return this.open;
  }

  /**
   * Registers a stream for `userId` that sends what comes after `lastSeq`; until `attach`, live
   * notifications wait in it. A user's oldest stream is closed when they open more than allowed.
   */
  register(userId: string, lastSeq: number): Stream {
    const stream: Stream = { userId, openedAt: Date.now(), lastSeq, pending: [] };
    let streams = this.byUser.get(userId);
    if (!streams) this.byUser.set(userId, (streams = new Set()));
    streams.add(stream);
    this.open += 1;
    this.openGauge.set(this.open);
    if (streams.size > this.config.NOTIFICATION_STREAMS_PER_USER) {
      const oldest = streams.values().next().value!;
      this.remove(oldest);
      oldest.res?.end();
    }
    this.heartbeat ??= this.startHeartbeat();
    return stream;
  }

  /**
   * Starts writing to `res`: the missed notifications first, then what arrived meanwhile, then live
   * ones. (The caller removes the stream when its response closes, from the moment it registered it.)
   */
  attach(stream: Stream, res: ServerResponse, missed: Array<{ seq: number; item: NotificationItemV1 }>): void {
    if (res.destroyed) {
      // The client left while what it missed was being read.
      this.remove(stream);
      return;
    }
    stream.res = res;
    for (const { seq, item } of missed) this.write(stream, seq, notificationFrame(seq, item));
    const pending = stream.pending ?? [];
    stream.pending = undefined;
    for (const { seq, frame } of pending.sort((a, b) => a.seq - b.seq)) this.write(stream, seq, frame);
  }

  remove(stream: Stream): void {
    const streams = this.byUser.get(stream.userId);
    if (!streams?.delete(stream)) return;
    if (streams.size === 0) this.byUser.delete(stream.userId);
    this.open -= 1;
    this.openGauge.set(this.open);
  }

  /** A new notification: written to every stream this gateway holds for its user. */
  publish(event: NotificationCreatedV1): void {
    const streams = this.byUser.get(event.userId);
    if (!streams) return;
    const frame = notificationFrame(event.seq, event.notification);
    for (const stream of streams) {
      if (stream.pending) {
        if (stream.pending.length < MAX_PENDING) stream.pending.push({ seq: event.seq, frame });
      } else {
        this.write(stream, event.seq, frame);
      }
    }
  }

  onModuleDestroy(): void {
    // Open streams would hold the HTTP server open: they end first (clients reconnect to another replica).
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const streams of this.byUser.values()) for (const stream of streams) stream.res?.end();
    this.byUser.clear();
    this.open = 0;
    this.openGauge.set(0);
  }

  private write(stream: Stream, seq: number, frame: string): void {
    const res = stream.res;
    if (!res || seq <= stream.lastSeq) return;
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      this.logger.warn({ userId: stream.userId, buffered: res.writableLength }, 'notification stream too slow, closing it');
      this.remove(stream);
      res.destroy();
      return;
    }
    stream.lastSeq = seq;
    res.write(frame);
    this.pushed.inc();
  }

  /** Every stream's heartbeat, and the end of those open for longer than allowed (they reconnect with a fresh token). */
  beat(now = Date.now()): void {
    const oldest = now - this.config.NOTIFICATION_STREAM_MAX_SECONDS * 1000;
    for (const streams of this.byUser.values()) {
      for (const stream of streams) {
        if (!stream.res || stream.pending) continue;
        if (stream.openedAt < oldest) {
          this.remove(stream);
          stream.res.end();
        } else {
          stream.res.write(': heartbeat\n\n');
        }
      }
    }
  }

  private startHeartbeat(): NodeJS.Timeout {
    const timer = setInterval(() => this.beat(), this.config.NOTIFICATION_STREAM_HEARTBEAT_SECONDS * 1000);
    timer.unref();
    return timer;
  }
}
