import { Module } from '@nestjs/common';
import { notificationV1 } from '@shop/contracts';
import { HealthController } from '@shop/health';
import { MessagingModule } from '@shop/messaging';
import { MetricsController, providePostgresReadiness, provideGrpcService, provideSqlDatabase, SQL_DATABASE } from '@shop/service-kit';
import { abandonedCartSchedulerProvider } from './carts/abandoned-cart-scheduler';
import { downstreamProviders } from './downstreams';
import { mailDispatcherProvider } from './mail/mail-dispatcher';
import { mailTransportProvider } from './mail/mail-transport';
import { notificationMetricsProvider } from './notification-metrics';
import { NotificationGrpcHandlers } from './notification.grpc';
import { NotificationEventsConsumer } from './notifications/notification-events.consumer';
import { NotificationsService } from './notifications/notifications.service';
import { Notifier } from './notifications/notifier';
import { Recipients } from './notifications/recipients';
import { PreferencesService } from './preferences/preferences.service';

/**
 * The notification service: shoppers hear of their account and orders by email (SMTP, or .eml files
 * on the embedded default) and in the app (stored, announced as notification.created for the
 * gateways' live streams), in their language and as their preferences say; abandoned carts get one
 * reminder. It consumes the platform's events and emits only its own.
 */
@Module({
  imports: [MessagingModule.forRoot({ outbox: true, consumers: [NotificationEventsConsumer] })],
  controllers: [HealthController, MetricsController],
  providers: [
    ...provideSqlDatabase(),
    // Neither the event bus, the SMTP server nor another service being down makes it unready:
    // events wait on the bus, mail waits in email_deliveries, handlers retry.
    providePostgresReadiness(SQL_DATABASE),
    ...downstreamProviders,
    provideGrpcService('NotificationService', notificationV1.NotificationServiceService, NotificationGrpcHandlers),
    notificationMetricsProvider,
    mailTransportProvider,
    mailDispatcherProvider,
    abandonedCartSchedulerProvider,
    PreferencesService,
    Recipients,
    Notifier,
    NotificationsService,
    NotificationEventsConsumer,
    NotificationGrpcHandlers,
  ],
})
export class NotificationModule {}
