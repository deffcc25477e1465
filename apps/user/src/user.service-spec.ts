import { userV1, type UserRegisteredV1 } from '@shop/contracts';
import { bindService } from '@shop/grpc';
import { createEventBus } from '@shop/messaging';
import type { ServiceSpec } from '@shop/service-kit';
import type { UserConfig } from './config';
import { createPrismaClient } from './prisma';
import { PROFILE_CONSUMER, ProfilesService } from './profiles/profiles.service';
import { UserGrpcHandlers } from './user.grpc';
import { UserModule } from './user.module';

/** How the user service boots: its module, its gRPC contract, and the consumer of user.registered. */
export function userService(config: UserConfig): ServiceSpec<UserConfig> {
  const prisma = createPrismaClient(config.DATABASE_URL);
  return {
    name: 'user',
    config,
    module: (core) => UserModule.forRoot(core, prisma),
    grpc: (app) => [bindService('UserService', userV1.UserServiceService, app.get(UserGrpcHandlers))],
    async start(app, logger, metrics) {
      const bus = createEventBus(config, 'user', logger, metrics);
      const profiles = app.get(ProfilesService);
      await bus.subscribe({
        groupId: PROFILE_CONSUMER,
        topics: ['user.registered'],
        handler: async (event) => {
          if (event.version !== 1) throw new Error(`user.registered v${event.version} is not understood`);
          await profiles.onUserRegistered(event.id, event.payload as UserRegisteredV1);
        },
      });
      return [{ stop: () => bus.close() }, { stop: () => prisma.$disconnect() }];
    },
  };
}
