import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { HEALTH_CHECKS, HealthController } from '@shop/health';
import { postgresHealthCheck } from '@shop/persistence';
import { MetricsController } from '@shop/service-kit';
import { AddressesService } from './addresses/addresses.service';
import { PRISMA, type PrismaClient } from './prisma';
import { ProfilesService } from './profiles/profiles.service';
import { UserGrpcHandlers } from './user.grpc';

@Module({})
export class UserModule {
  static forRoot(core: Provider[], prisma: PrismaClient): DynamicModule {
    return {
      module: UserModule,
      controllers: [HealthController, MetricsController],
      providers: [
        ...core,
        { provide: PRISMA, useValue: prisma },
        { provide: HEALTH_CHECKS, useValue: [postgresHealthCheck(prisma)] },
        ProfilesService,
        AddressesService,
        UserGrpcHandlers,
      ],
    };
  }
}
