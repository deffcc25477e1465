import { authV1 } from '@shop/contracts';
import { bindService } from '@shop/grpc';
import { createEventBus, OutboxRelay } from '@shop/messaging';
import type { ServiceSpec } from '@shop/service-kit';
import { AdminBootstrap } from './admin-bootstrap';
import { AuthGrpcHandlers } from './auth.grpc';
import { AuthModule } from './auth.module';
import type { AuthConfig } from './config';
import { createPrismaClient } from './prisma';
import { SigningKeys } from './tokens/signing-keys';

const KEY_CHECK_INTERVAL_MS = 3600_000;

/** How the auth service boots: its module, its gRPC contract, and what runs beside them. */
export function authService(config: AuthConfig): ServiceSpec<AuthConfig> {
  const prisma = createPrismaClient(config.DATABASE_URL);
  return {
    name: 'auth',
    config,
    module: (core) => AuthModule.forRoot(core, prisma),
    grpc: (app) => [bindService('AuthService', authV1.AuthServiceService, app.get(AuthGrpcHandlers))],
    async start(app, logger, metrics) {
      const keys = app.get(SigningKeys);
      try {
        await keys.ensureCurrentKey();
        await app.get(AdminBootstrap).ensureAdmin();
      } catch (error) {
        await prisma.$disconnect();
        throw error;
      }
      const bus = createEventBus(config, 'auth', logger, metrics);
      const relay = new OutboxRelay({ databaseUrl: config.DATABASE_URL, bus, logger });
      relay.start();
      const rotation = setInterval(() => {
        keys.ensureCurrentKey().catch((error: unknown) => logger.error({ err: error }, 'signing key rotation failed'));
      }, KEY_CHECK_INTERVAL_MS).unref();
      return [
        { stop: async () => clearInterval(rotation) },
        { stop: () => relay.stop() },
        { stop: () => bus.close() },
        { stop: () => prisma.$disconnect() },
      ];
    },
  };
}
