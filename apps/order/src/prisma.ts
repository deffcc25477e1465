import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from './generated/prisma/client';

export { Prisma, PrismaClient } from './generated/prisma/client';
export type { CartItem, Order, OrderItem, OrderStatusHistory } from './generated/prisma/client';
export const PRISMA = Symbol('PRISMA');

/** A Prisma client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;

export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }),
    // A burst of checkouts queues for one of the ten connections: Prisma's 2 s default would fail them.
    transactionOptions: { maxWait: 15_000, timeout: 15_000 },
  });
}

/** Unique-constraint violation: P2002 from Prisma's own queries, 23505 from raw SQL. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as { code?: string }).code === 'P2002') return true;
  return /\b23505\b|unique constraint/i.test(String((error as { message?: string }).message));
}
