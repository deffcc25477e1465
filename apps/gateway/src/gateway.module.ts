import { type FactoryProvider, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HealthController } from '@shop/health';
import { MessagingModule } from '@shop/messaging';
import { AccessRevocations, AuthGuard, JwksVerifier, PermissionsGuard } from '@shop/security';
import { APP_CONFIG, MetricsController } from '@shop/service-kit';
import { AdminController } from './admin/admin.controller';
import { AccessChangesConsumer } from './auth/access-changes.consumer';
import { AuthController } from './auth/auth.controller';
import { SessionsController } from './auth/sessions.controller';
import { WellKnownController } from './auth/well-known.controller';
import { AdminCatalogController } from './catalog/admin-catalog.controller';
import { AdminBargainingController, ChatController } from './chat/chat.controller';
import { ChatReplyStream } from './chat/chat-reply-stream';
import { answerCacheProviders } from './caching/answer-caches.provider';
import { CatalogController } from './catalog/catalog.controller';
import { CatalogueAnswers } from './catalog/catalogue-answers';
import { CatalogueEventsConsumer } from './catalog/catalogue-events.consumer';
import { HeardStockVersions } from './catalog/heard-stock-versions';
import type { GatewayConfig } from './config';
import { AUTH_CLIENT, type AuthClient, downstreamProviders } from './downstream/downstreams';
import { AdminInventoryController } from './inventory/admin-inventory.controller';
import { NotificationEventsConsumer } from './notifications/notification-events.consumer';
import { NotificationStreams } from './notifications/notification-streams';
import { NotificationPreferencesController, NotificationsController } from './notifications/notifications.controller';
import { AdminOrdersController } from './orders/admin-orders.controller';
import { CartController } from './orders/cart.controller';
import { OrdersController } from './orders/orders.controller';
import { StripeWebhookController } from './payments/stripe-webhook.controller';
import { rateLimitStoreProviders } from './rate-limit/rate-limit-store.provider';
import { IpRateLimitGuard, UserRateLimitGuard } from './rate-limit/rate-limit.guards';
import { RateLimiter } from './rate-limit/rate-limiter';
import { ProfileEventsConsumer } from './users/profile-events.consumer';
import { AdminReviewsController, ReviewsController } from './reviews/reviews.controller';
import { UsersController } from './users/users.controller';

/** Access tokens are checked against the auth service's JWKS, fetched over gRPC and cached. */
const jwksVerifierProvider: FactoryProvider<JwksVerifier> = {
  provide: JwksVerifier,
  inject: [APP_CONFIG, AUTH_CLIENT],
  useFactory: (config: GatewayConfig, auth: AuthClient) =>
    new JwksVerifier({
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      fetchJwks: async () => ({ keys: (await auth.call('getJwks', {})).keys.map((key) => ({ ...key })) }),
    }),
};

/**
 * The public REST API: controllers over the services' gRPC clients, behind rate limits, JWT and
 * permission guards; catalogue answers and profiles kept, dropped by the events that change them.
 */
@Module({
  imports: [MessagingModule.forRoot({ consumers: [AccessChangesConsumer, CatalogueEventsConsumer, ProfileEventsConsumer, NotificationEventsConsumer] })],
  controllers: [
    AuthController,
    SessionsController,
    WellKnownController,
    UsersController,
    CatalogController,
    CartController,
    OrdersController,
    StripeWebhookController,
    NotificationsController,
    NotificationPreferencesController,
    ChatController,
    AdminBargainingController,
    ReviewsController,
    AdminReviewsController,
    AdminController,
    AdminOrdersController,
    AdminCatalogController,
    AdminInventoryController,
    HealthController,
    MetricsController,
  ],
  providers: [
    ...downstreamProviders,
    jwksVerifierProvider,
    // The users whose earlier access tokens are revoked, which the AuthGuard refuses.
    { provide: AccessRevocations, useFactory: () => new AccessRevocations() },
    AccessChangesConsumer,
    ...answerCacheProviders,
    CatalogueAnswers,
    CatalogueEventsConsumer,
    HeardStockVersions,
    ProfileEventsConsumer,
    NotificationStreams,
    ChatReplyStream,
    NotificationEventsConsumer,
    ...rateLimitStoreProviders,
    RateLimiter,
    // Order matters: per-IP budget, then who is calling, then their budget, then what they may do.
    { provide: APP_GUARD, useClass: IpRateLimitGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: UserRateLimitGuard },
    { provide: APP_GUARD, useClass: PermissionsGuard },
  ],
})
export class GatewayModule {}
