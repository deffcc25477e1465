import type { HealthCheck } from '@shop/health';

interface Queryable {
  $queryRawUnsafe(query: string): Promise<unknown>;
}

export function postgresHealthCheck(client: Queryable, name = 'postgres'): HealthCheck {
  return { name, check: async () => void (await client.$queryRawUnsafe('SELECT 1')) };
}
