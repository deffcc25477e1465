import { Module } from '@nestjs/common';
import { userV1 } from '@shop/contracts';
import { HealthController } from '@shop/health';
import { MessagingModule } from '@shop/messaging';
import { MetricsController, providePostgresReadiness, provideGrpcService, providePrisma } from '@shop/service-kit';
import { AddressesService } from './addresses/addresses.service';
import { createPrismaClient, PRISMA } from './prisma';
import { ProfilesConsumer } from './profiles/profiles.consumer';
import { ProfilesService } from './profiles/profiles.service';
import { UserGrpcHandlers } from './user.grpc';

/** The user service: profiles (made from user.registered, changes announced as events) and address books over gRPC. */
@Module({
  imports: [MessagingModule.forRoot({ outbox: true, consumers: [ProfilesConsumer] })],
  controllers: [HealthController, MetricsController],
  providers: [
    providePrisma(PRISMA, createPrismaClient),
    providePostgresReadiness(PRISMA),
    provideGrpcService('UserService', userV1.UserServiceService, UserGrpcHandlers),
    ProfilesService,
    ProfilesConsumer,
    AddressesService,
    UserGrpcHandlers,
  ],
})
export class UserModule {}
