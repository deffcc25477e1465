import { Module } from '@nestjs/common';
import { inventoryV1 } from '@shop/contracts';
import { HealthController } from '@shop/health';
import { MessagingModule } from '@shop/messaging';
import { APP_CONFIG, LOGGER, MetricsController, providePostgres, providePostgresReadiness, provideGrpcService, provideSweeper } from '@shop/service-kit';
import type { Logger } from 'pino';
import type { InventoryConfig } from './config';
import { InventoryGrpcHandlers } from './inventory.grpc';
import { createPrismaClient, PRISMA } from './prisma';
import { CheckoutCommandsConsumer } from './reservations/checkout-commands.consumer';
import { ExpirySweeper } from './reservations/expiry-sweeper';
import { ReservationsService } from './reservations/reservations.service';
import { StockService } from './stock/stock.service';

/** The inventory service: stock and its ledger over gRPC, the checkout saga's stock commands, and the sweeper of expired reservations. */
@Module({
  imports: [MessagingModule.forRoot({ outbox: true, consumers: [CheckoutCommandsConsumer] })],
  controllers: [HealthController, MetricsController],
  providers: [
    ...providePostgres(PRISMA, createPrismaClient),
    // The event bus being down does not make inventory unready: events wait in the outbox.
    providePostgresReadiness(PRISMA),
    provideGrpcService('InventoryService', inventoryV1.InventoryServiceService, InventoryGrpcHandlers),
    provideSweeper(
      ExpirySweeper,
      [ReservationsService, APP_CONFIG, LOGGER],
      (reservations: ReservationsService, config: InventoryConfig, logger: Logger) =>
        new ExpirySweeper(reservations, { intervalMs: config.SWEEP_INTERVAL_MS, logger }),
    ),
    StockService,
    ReservationsService,
    CheckoutCommandsConsumer,
    InventoryGrpcHandlers,
  ],
})
export class InventoryModule {}
