import type { FactoryProvider } from '@nestjs/common';
import { HEALTH_CHECKS } from '@shop/health';
import { postgresHealthCheck } from '@shop/persistence';
import { APP_CONFIG } from './core.tokens';
import { ShutdownSequence } from './shutdown-sequence';

interface PrismaLike {
  $disconnect(): Promise<void>;
  $queryRawUnsafe(query: string): Promise<unknown>;
}

/** The service's Prisma client under `token`, made by its `createPrismaClient` from DATABASE_URL and disconnected last at shutdown. */
export function providePrisma<T extends PrismaLike>(token: symbol, create: (databaseUrl: string) => T): FactoryProvider<T> {
  return {
    provide: token,
    inject: [APP_CONFIG, ShutdownSequence],
    useFactory: (config: { DATABASE_URL: string }, shutdown: ShutdownSequence) => {
      const prisma = create(config.DATABASE_URL);
      shutdown.add('storage', 'prisma', () => prisma.$disconnect());
      return prisma;
    },
  };
}

/** Readiness is the database answering (the event bus being away only delays events: they wait in the outbox). */
export function providePostgresReadiness(prismaToken: symbol): FactoryProvider {
  return { provide: HEALTH_CHECKS, inject: [prismaToken], useFactory: (prisma: PrismaLike) => [postgresHealthCheck(prisma)] };
}
