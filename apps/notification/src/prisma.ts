import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from './generated/prisma/client';

export { Prisma, PrismaClient } from './generated/prisma/client';
export type { EmailDelivery, Notification, NotificationPreference } from './generated/prisma/client';
export const PRISMA = Symbol('PRISMA');

/** A Prisma client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;

export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }) });
}
