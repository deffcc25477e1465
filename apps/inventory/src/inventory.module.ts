import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { HEALTH_CHECKS, HealthController } from '@shop/health';
import { postgresHealthCheck } from '@shop/persistence';
import { MetricsController } from '@shop/service-kit';
import { InventoryGrpcHandlers } from './inventory.grpc';
import { PRISMA, type PrismaClient } from './prisma';
import { ReservationsService } from './reservations/reservations.service';
import { StockService } from './stock/stock.service';

@Module({})
export class InventoryModule {
  static forRoot(core: Provider[], prisma: PrismaClient): DynamicModule {
    return {
      module: InventoryModule,
      controllers: [HealthController, MetricsController],
      providers: [
        ...core,
        { provide: PRISMA, useValue: prisma },
        // The event bus being down does not make inventory unready: events wait in the outbox.
        { provide: HEALTH_CHECKS, useValue: [postgresHealthCheck(prisma)] },
        StockService,
        ReservationsService,
        InventoryGrpcHandlers,
      ],
    };
  }
}
