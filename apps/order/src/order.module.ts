import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { HEALTH_CHECKS, HealthController } from '@shop/health';
import { postgresHealthCheck } from '@shop/persistence';
import { MetricsController } from '@shop/service-kit';
import { CartsService } from './carts/carts.service';
import { OrderGrpcHandlers } from './order.grpc';
import { OrdersService } from './orders/orders.service';
import { PRISMA, type PrismaClient } from './prisma';
import { CheckoutSaga } from './saga/checkout-saga';

@Module({})
export class OrderModule {
  /** `downstreams` provides the product, inventory and payment clients. */
  static forRoot(core: Provider[], prisma: PrismaClient, downstreams: Provider[]): DynamicModule {
    return {
      module: OrderModule,
      controllers: [HealthController, MetricsController],
      providers: [
        ...core,
        ...downstreams,
        { provide: PRISMA, useValue: prisma },
        // Neither the event bus nor a downstream being down makes the order service unready: events
        // wait in the outbox, carts and checkouts answer UNAVAILABLE, the saga retries.
        { provide: HEALTH_CHECKS, useValue: [postgresHealthCheck(prisma)] },
        CartsService,
        OrdersService,
        CheckoutSaga,
        OrderGrpcHandlers,
      ],
    };
  }
}
