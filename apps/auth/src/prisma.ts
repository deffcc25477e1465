import { PrismaPg } from '@prisma/adapter-pg';
import { type Prisma, PrismaClient } from './generated/prisma/client';

export { Prisma, PrismaClient } from './generated/prisma/client';
export const PRISMA = Symbol('PRISMA');
export type Tx = Prisma.TransactionClient;

export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }),
    // A burst of registrations and logins (a sale opening) queues for one of the ten connections:
    // Prisma's 2 s default turned that queue into 503s.
    transactionOptions: { maxWait: 15_000, timeout: 15_000 },
  });
}

export { isUniqueViolation } from '@shop/persistence';
