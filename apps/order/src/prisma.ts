import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlClient } from '@shop/persistence';
import type { Pool } from 'pg';
import { PrismaClient } from './generated/prisma/client';

export { Prisma, PrismaClient } from './generated/prisma/client';
export type { CartItem, Order, OrderItem, OrderStatusHistory } from './generated/prisma/client';
export const PRISMA = Symbol('PRISMA');

/** A transaction of the checkout's statements: raw SQL on `pg` (SqlDatabase). */
export type Tx = SqlClient;

export function createPrismaClient(pool: Pool): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg(pool),
    // A burst of checkouts queues for one of the ten connections: Prisma's 2 s default would fail them.
    transactionOptions: { maxWait: 15_000, timeout: 15_000 },
  });
}

export { isUniqueViolation } from '@shop/persistence';
