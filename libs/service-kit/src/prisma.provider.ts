import type { FactoryProvider } from '@nestjs/common';
import { HEALTH_CHECKS } from '@shop/health';
import { postgresHealthCheck, type SqlClient, SqlDatabase } from '@shop/persistence';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { APP_CONFIG, LOGGER } from './core.tokens';
import { ShutdownSequence } from './shutdown-sequence';

interface PrismaLike {
  $disconnect(): Promise<void>;
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

/** The connection pool of a service's database (its SqlDatabase, and its Prisma client when it has one). */
export const PG_POOL = Symbol('PG_POOL');
/** Raw SQL and transactions straight on the pool, for the statements that run per request or per event. */
export const SQL_DATABASE = Symbol('SQL_DATABASE');

/** Connections of a service's pool unless it says otherwise (Prisma and SqlDatabase share them). */
export const DEFAULT_POOL_SIZE = 10;

export interface PostgresPoolOptions {
  /** Connections of the pool (DEFAULT_POOL_SIZE). */
  max?: number;
  /** How long a query or transaction waits for a free connection, ms. */
  connectionWaitMs?: number;
}

/** One pool from DATABASE_URL, ended last at shutdown, and the SqlDatabase on it under SQL_DATABASE. */
export function provideSqlDatabase(options: PostgresPoolOptions = {}): FactoryProvider[] {
  return [
    {
      provide: PG_POOL,
      inject: [APP_CONFIG, LOGGER, ShutdownSequence],
      useFactory: (config: { DATABASE_URL: string }, logger: Logger, shutdown: ShutdownSequence) => {
        const pool = new Pool({ connectionString: config.DATABASE_URL, max: options.max ?? DEFAULT_POOL_SIZE, connectionTimeoutMillis: options.connectionWaitMs ?? 15_000 });
        // An idle connection the server dropped: the pool replaces it; unheard, the error would end the process.
        pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection lost'));
        shutdown.add('storage', 'postgres pool', () => pool.end());
        return pool;
      },
    },
    { provide: SQL_DATABASE, inject: [PG_POOL], useFactory: (pool: Pool) => new SqlDatabase(pool) },
  ];
}

/**
 * For a service that runs its hot statements on `pg` (SqlDatabase) and the rest on Prisma: the
 * SqlDatabase's pool also carries the Prisma client, made by `create` under `token`.
 */
export function providePostgres<T extends PrismaLike>(token: symbol, create: (pool: Pool) => T, options: PostgresPoolOptions = {}): FactoryProvider[] {
  return [
    ...provideSqlDatabase(options),
    {
      provide: token,
      inject: [PG_POOL, ShutdownSequence],
      useFactory: (pool: Pool, shutdown: ShutdownSequence) => {
        const prisma = create(pool);
        shutdown.add('storage', 'prisma', () => prisma.$disconnect());
        return prisma;
      },
    },
  ];
}

/** Readiness is the database answering (the event bus being away only delays events: they wait in the outbox). */
export function providePostgresReadiness(clientToken: symbol): FactoryProvider {
  return { provide: HEALTH_CHECKS, inject: [clientToken], useFactory: (client: Pick<SqlClient, '$queryRaw'>) => [postgresHealthCheck(client)] };
}
