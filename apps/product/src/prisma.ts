import { PrismaPg } from '@prisma/adapter-pg';
import { DEFAULT_POOL_SIZE } from '@shop/service-kit';
import type { Pool } from 'pg';
import { PrismaClient } from './generated/prisma/client';

export { Prisma, PrismaClient } from './generated/prisma/client';
export type { Category, Product, Variant } from './generated/prisma/client';
export const PRISMA = Symbol('PRISMA');

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** On the service's pool (providePostgres), or on a pool of its own for a one-off job (reindex). */
export function createPrismaClient(connection: Pool | string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(typeof connection === 'string' ? { connectionString: connection, max: DEFAULT_POOL_SIZE } : connection) });
}

export { isUniqueViolation } from '@shop/persistence';
