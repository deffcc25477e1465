import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HEALTH_CHECKS, type HealthCheck, HealthController } from '@shop/health';
import { AuthGuard, JwksVerifier, PermissionsGuard } from '@shop/security';
import { MetricsController } from '@shop/service-kit';
import { AdminController } from './admin/admin.controller';
import { AuthController } from './auth/auth.controller';
import { AdminCatalogController } from './catalog/admin-catalog.controller';
import { CatalogController } from './catalog/catalog.controller';
import { AdminInventoryController } from './inventory/admin-inventory.controller';
import { AdminOrdersController } from './orders/admin-orders.controller';
import { CartController } from './orders/cart.controller';
import { OrdersController } from './orders/orders.controller';
import { StripeWebhookController } from './payments/stripe-webhook.controller';
import { WellKnownController } from './auth/well-known.controller';
import { IpRateLimitGuard, UserRateLimitGuard } from './rate-limit/rate-limit.guards';
import { RATE_LIMIT_STORE, RateLimiter } from './rate-limit/rate-limiter';
import type { RateLimitStore } from './rate-limit/rate-limit-store';
import { UsersController } from './users/users.controller';

export interface GatewayDependencies {
  core: Provider[];
  downstreams: Provider[];
  verifier: JwksVerifier;
  rateLimitStore: RateLimitStore;
  healthChecks: HealthCheck[];
}

@Module({})
export class GatewayModule {
  static forRoot(deps: GatewayDependencies): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [
        AuthController,
        WellKnownController,
        UsersController,
        CatalogController,
        CartController,
        OrdersController,
        StripeWebhookController,
        AdminController,
        AdminOrdersController,
        AdminCatalogController,
        AdminInventoryController,
        HealthController,
        MetricsController,
      ],
      providers: [
        ...deps.core,
        ...deps.downstreams,
        { provide: JwksVerifier, useValue: deps.verifier },
        { provide: RATE_LIMIT_STORE, useValue: deps.rateLimitStore },
        { provide: HEALTH_CHECKS, useValue: deps.healthChecks },
        RateLimiter,
        // Order matters: per-IP budget, then who is calling, then their budget, then what they may do.
        { provide: APP_GUARD, useClass: IpRateLimitGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: UserRateLimitGuard },
        { provide: APP_GUARD, useClass: PermissionsGuard },
      ],
    };
  }
}
