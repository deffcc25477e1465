import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from '@shop/persistence';
import { testInfra } from './infra';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`.toLowerCase();
}

/** A fresh, empty database on the test server; drop() removes it. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  const server = testInfra().postgresUrl;
  const admin = new Client({ connectionString: withDatabase(server, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return {
    name,
    url: withDatabase(server, name),
    drop: async () => {
      const client = new Client({ connectionString: withDatabase(server, 'postgres') });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
