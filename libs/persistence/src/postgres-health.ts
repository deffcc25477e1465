import type { HealthCheck } from '@shop/health';
import type { SqlClient } from './sql-database';

/** Readiness: SELECT 1 answered, by a Prisma client or an SqlDatabase. */
export function postgresHealthCheck(client: Pick<SqlClient, '$queryRaw'>, name = 'postgres'): HealthCheck {
  return { name, check: async () => void (await client.$queryRaw`SELECT 1`) };
}
