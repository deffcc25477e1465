import type { FactoryProvider } from '@nestjs/common';
import type { ServiceMetrics } from '@shop/observability';
import { METRICS } from '@shop/service-kit';
import type { Counter } from 'prom-client';

export type Channel = 'email' | 'in_app';

/** Notifications sent, failed and given up, by channel and type (the Grafana panel "sent/failed by channel"). */
export class NotificationMetrics {
  private readonly sentTotal: Counter<'channel' | 'type'>;
  private readonly failedTotal: Counter<'channel' | 'type'>;
  private readonly deadTotal: Counter<'channel' | 'type'>;
  private readonly suppressedTotal: Counter<'channel' | 'type'>;
  private readonly staleTotal: Counter<'type'>;

  constructor(metrics: ServiceMetrics) {
    this.sentTotal = metrics.counter('shop_notifications_sent_total', 'Notifications delivered: emails the SMTP server accepted, in-app notifications stored', ['channel', 'type']);
    this.failedTotal = metrics.counter('shop_notifications_failed_total', 'Attempts to deliver a notification that failed (each is retried with back-off)', ['channel', 'type']);
    this.deadTotal = metrics.counter('shop_notifications_dead_letter_total', 'Notifications given up after every retry, moved to the dead-letter topic', ['channel', 'type']);
    this.suppressedTotal = metrics.counter('shop_notifications_suppressed_total', 'Notifications not made because the recipient switched them off', ['channel', 'type']);
    this.staleTotal = metrics.counter('shop_notifications_stale_events_total', 'Events older than NOTIFICATION_MAX_EVENT_AGE, which told nobody', ['type']);
  }

  sent(channel: Channel, type: string): void {
    this.sentTotal.inc({ channel, type });
  }

  failed(channel: Channel, type: string): void {
    this.failedTotal.inc({ channel, type });
  }

  dead(channel: Channel, type: string): void {
    this.deadTotal.inc({ channel, type });
  }

  suppressed(channel: Channel, type: string): void {
    this.suppressedTotal.inc({ channel, type });
  }

  stale(type: string): void {
    this.staleTotal.inc({ type });
  }
}

export const notificationMetricsProvider: FactoryProvider<NotificationMetrics> = {
  provide: NotificationMetrics,
  inject: [METRICS],
  useFactory: (metrics: ServiceMetrics) => new NotificationMetrics(metrics),
};
