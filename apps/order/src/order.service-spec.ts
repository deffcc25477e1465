import { orderV1 } from '@shop/contracts';
import { bindService } from '@shop/grpc';
import { createEventBus, OutboxRelay } from '@shop/messaging';
import type { ServiceSpec } from '@shop/service-kit';
import type { OrderConfig } from './config';
import { type OrderDownstreams, orderDownstreams } from './downstreams';
import { OrderGrpcHandlers } from './order.grpc';
import { OrderModule } from './order.module';
import { createPrismaClient } from './prisma';
import { CheckoutSaga, SAGA_CONSUMER, SAGA_TOPICS } from './saga/checkout-saga';
import { CheckoutTimeoutSweeper } from './saga/checkout-timeout-sweeper';

/** How the order service boots: carts and orders over gRPC, the outbox relay, the checkout saga and its timeout sweeper. */
export function orderService(config: OrderConfig): ServiceSpec<OrderConfig> {
  const prisma = createPrismaClient(config.DATABASE_URL);
  let downstreams: OrderDownstreams | undefined;
  return {
    name: 'order',
    config,
    module: (core, _logger, metrics) => {
      downstreams = orderDownstreams(config, metrics);
      return OrderModule.forRoot(core, prisma, downstreams.providers);
    },
    grpc: (app) => [bindService('OrderService', orderV1.OrderServiceService, app.get(OrderGrpcHandlers))],
    async start(app, logger, metrics) {
      const bus = createEventBus(config, 'order', logger, metrics);
      const relay = new OutboxRelay({ databaseUrl: config.DATABASE_URL, bus, logger });
      relay.start();
      const saga = app.get(CheckoutSaga);
      // A saga step that cannot reach a service (payment restarting) keeps trying for about half a
      // minute before the message is dead-lettered; the checkout timeout bounds the order's wait anyway.
      await bus.subscribe({
        groupId: SAGA_CONSUMER,
        topics: SAGA_TOPICS,
        handler: (event) => saga.handle(event),
        retry: { maxAttempts: 12, initialBackoffMs: 250, maxBackoffMs: 3000 },
      });
      const sweeper = new CheckoutTimeoutSweeper(saga, { intervalMs: config.SWEEP_INTERVAL_MS, logger });
      sweeper.start();
      // One entry, stopped in this order (runService stops its entries side by side): the sweeper
      // finishes its transaction and the consumers their event before Prisma disconnects.
      return [
        {
          stop: async () => {
            await sweeper.stop();
            await relay.stop();
            await bus.close();
            downstreams?.close();
            await prisma.$disconnect();
          },
        },
      ];
    },
  };
}
