import './tracing';
import { loadConfigOrExit } from '@shop/config';
import { authV1 } from '@shop/contracts';
import { bindService } from '@shop/grpc';
import { createEventBus, OutboxRelay } from '@shop/messaging';
import { main } from '@shop/service-kit';
import { AdminBootstrap } from './admin-bootstrap';
import { AuthGrpcHandlers } from './auth.grpc';
import { AuthModule } from './auth.module';
import { authConfigSchema } from './config';
import { createPrismaClient } from './prisma';
import { SigningKeys } from './tokens/signing-keys';

main(() => {
  const config = loadConfigOrExit(authConfigSchema, 'auth');
  const prisma = createPrismaClient(config.DATABASE_URL);
  return {
    name: 'auth',
    config,
    module: (core) => AuthModule.forRoot(core, prisma),
    grpc: (app) => [bindService('AuthService', authV1.AuthServiceService, app.get(AuthGrpcHandlers))],
    async start(app, logger, metrics) {
      await app.get(SigningKeys).ensureCurrentKey();
      await app.get(AdminBootstrap).ensureAdmin();
      const bus = createEventBus(config, 'auth', logger, metrics);
      const relay = new OutboxRelay({ databaseUrl: config.DATABASE_URL, bus, logger });
      relay.start();
      const rotation = setInterval(() => {
        app.get(SigningKeys).ensureCurrentKey().catch((error: unknown) => logger.error({ err: error }, 'signing key rotation failed'));
      }, 3600_000).unref();
      return [
        { stop: () => relay.stop() },
        { stop: async () => clearInterval(rotation) },
        { stop: () => bus.close() },
        { stop: () => prisma.$disconnect() },
      ];
    },
  };
});
