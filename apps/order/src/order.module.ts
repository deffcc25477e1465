import { Module } from '@nestjs/common';
import { orderV1 } from '@shop/contracts';
import { HealthController } from '@shop/health';
import { MessagingModule } from '@shop/messaging';
import { APP_CONFIG, LOGGER, MetricsController, providePostgres, providePostgresReadiness, provideGrpcService, provideSweeper } from '@shop/service-kit';
import type { Logger } from 'pino';
import { CartsService } from './carts/carts.service';
import type { OrderConfig } from './config';
import { downstreamProviders } from './downstreams';
import { OrderGrpcHandlers } from './order.grpc';
import { OrdersService } from './orders/orders.service';
import { createPrismaClient, PRISMA } from './prisma';
import { CheckoutSaga } from './saga/checkout-saga';
import { CheckoutTimeoutSweeper } from './saga/checkout-timeout-sweeper';

/** The order service: carts and orders over gRPC, the checkout saga (its replies, its commands through the outbox) and its timeout sweeper. */
@Module({
  imports: [MessagingModule.forRoot({ outbox: true, consumers: [CheckoutSaga] })],
  controllers: [HealthController, MetricsController],
  providers: [
    ...providePostgres(PRISMA, createPrismaClient),
    ...downstreamProviders,
    // Neither the event bus nor a downstream being down makes the order service unready: events
    // wait in the outbox, carts and checkouts answer UNAVAILABLE, the saga retries.
    providePostgresReadiness(PRISMA),
    provideGrpcService('OrderService', orderV1.OrderServiceService, OrderGrpcHandlers),
    provideSweeper(
      CheckoutTimeoutSweeper,
      [CheckoutSaga, APP_CONFIG, LOGGER],
      (saga: CheckoutSaga, config: OrderConfig, logger: Logger) => new CheckoutTimeoutSweeper(saga, { intervalMs: config.SWEEP_INTERVAL_MS, logger }),
    ),
    CartsService,
    OrdersService,
    CheckoutSaga,
    OrderGrpcHandlers,
  ],
})
export class OrderModule {}
