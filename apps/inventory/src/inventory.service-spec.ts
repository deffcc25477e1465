import { inventoryV1 } from '@shop/contracts';
import { bindService } from '@shop/grpc';
import { createEventBus, OutboxRelay } from '@shop/messaging';
import type { ServiceSpec } from '@shop/service-kit';
import type { InventoryConfig } from './config';
import { InventoryGrpcHandlers } from './inventory.grpc';
import { InventoryModule } from './inventory.module';
import { createPrismaClient } from './prisma';
import { ExpirySweeper } from './reservations/expiry-sweeper';
import { ORDER_EVENTS_CONSUMER, ORDER_TOPICS, OrderEventsConsumer } from './reservations/order-events.consumer';
import { ReservationsService } from './reservations/reservations.service';

/** How the inventory service boots: its module, its gRPC contract, the outbox relay, the order events consumer and the expiry sweeper. */
export function inventoryService(config: InventoryConfig): ServiceSpec<InventoryConfig> {
  const prisma = createPrismaClient(config.DATABASE_URL);
  return {
    name: 'inventory',
    config,
    module: (core) => InventoryModule.forRoot(core, prisma),
    grpc: (app) => [bindService('InventoryService', inventoryV1.InventoryServiceService, app.get(InventoryGrpcHandlers))],
    async start(app, logger, metrics) {
      const bus = createEventBus(config, 'inventory', logger, metrics);
      const relay = new OutboxRelay({ databaseUrl: config.DATABASE_URL, bus, logger });
      relay.start();
      const orders = new OrderEventsConsumer(app.get(ReservationsService), logger);
      await bus.subscribe({ groupId: ORDER_EVENTS_CONSUMER, topics: ORDER_TOPICS, handler: (event) => orders.handle(event) });
      const sweeper = new ExpirySweeper(app.get(ReservationsService), { intervalMs: config.SWEEP_INTERVAL_MS, logger });
      sweeper.start();
      // One entry, stopped in this order (runService stops its entries side by side): the sweeper
      // finishes its transaction before Prisma disconnects, the relay its batch before the bus closes.
      return [
        {
          stop: async () => {
            await sweeper.stop();
            await relay.stop();
            await bus.close();
            await prisma.$disconnect();
          },
        },
      ];
    },
  };
}
