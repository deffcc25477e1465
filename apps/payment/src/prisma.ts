import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from './generated/prisma/client';

export { Prisma, PrismaClient } from './generated/prisma/client';
export type { Payment, PaymentTransaction } from './generated/prisma/client';
export const PRISMA = Symbol('PRISMA');

/** A Prisma client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;

export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }),
    // Refunds and cancellations call the provider while they hold their payment's row lock (so two
    // of them never both spend what is left): a Stripe call of a few seconds must fit in the transaction.
    transactionOptions: { maxWait: 15_000, timeout: 30_000 },
  });
}

export { isUniqueViolation } from '@shop/persistence';
