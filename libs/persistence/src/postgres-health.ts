import type { HealthCheck } from '@shop/health';

/** A Prisma client or an SqlDatabase. */
interface Queryable {
  $queryRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<unknown>;
}

export function postgresHealthCheck(client: Queryable, name = 'postgres'): HealthCheck {
  return { name, check: async () => void (await client.$queryRaw`SELECT 1`) };
}
