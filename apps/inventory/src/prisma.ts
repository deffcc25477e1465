import { PrismaPg } from '@prisma/adapter-pg';
import type { Pool } from 'pg';
import { Prisma, PrismaClient } from './generated/prisma/client';

export { Prisma, PrismaClient } from './generated/prisma/client';
export type { Reservation, ReservationLine, StockItem, StockMovement } from './generated/prisma/client';
export const PRISMA = Symbol('PRISMA');

/** A Prisma client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;

export function createPrismaClient(pool: Pool): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg(pool),
    // Reservations of a popular SKU queue on its row lock, and a burst of them queues for one of the
    // ten connections: waiting a few seconds is normal there, Prisma's 2 s default would fail them.
    transactionOptions: { maxWait: 15_000, timeout: 15_000 },
  });
}

export { isUniqueViolation } from '@shop/persistence';
