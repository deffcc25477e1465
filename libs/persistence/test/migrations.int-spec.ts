import { migrate, prismaDir, readMigrations } from '@shop/persistence';
import { createTestDatabase, findSchemaDrift, repoRoot, type TestDatabase } from '@shop/testing';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

const SERVICES = ['auth', 'user', 'inventory', 'product', 'payment', 'order'];

describe.each(SERVICES)('%s migrations against real Postgres', (service) => {
  let db: TestDatabase;
  const dir = prismaDir(service, repoRoot());

  beforeAll(async () => {
    db = await createTestDatabase(`mig_${service}`);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('apply once, record themselves as Prisma does, and are idempotent', async () => {
    const first = await migrate(db.url, join(dir, 'migrations'));
    expect(first.applied).toEqual(readMigrations(join(dir, 'migrations')).map((m) => m.name));
    const second = await migrate(db.url, join(dir, 'migrations'));
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied });
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('SELECT migration_name, checksum, finished_at FROM _prisma_migrations');
    await client.end();
    expect(rows).toHaveLength(first.applied.length);
    expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].finished_at).toBeInstanceOf(Date);
  });

  it('build exactly what the Prisma schema describes', async () => {
    expect(await findSchemaDrift(join(dir, 'schema.prisma'), db.url)).toEqual([]);
  });

  it('let concurrent starts migrate once', async () => {
    const fresh = await createTestDatabase(`mig_${service}_race`);
    try {
      const results = await Promise.all([1, 2, 3].map(() => migrate(fresh.url, join(dir, 'migrations'))));
      expect(results.flatMap((r) => r.applied)).toHaveLength(readMigrations(join(dir, 'migrations')).length);
    } finally {
      await fresh.drop();
    }
  });
});

describe('schema drift check', () => {
  it('finds a missing index and a missing column', async () => {
    const db = await createTestDatabase('drift');
    try {
      const dir = prismaDir('auth', repoRoot());
      await migrate(db.url, join(dir, 'migrations'));
      const client = new Client({ connectionString: db.url });
      await client.connect();
      await client.query('DROP INDEX refresh_tokens_family_id_idx');
      await client.query('ALTER TABLE users DROP COLUMN updated_at');
      await client.end();
      expect(await findSchemaDrift(join(dir, 'schema.prisma'), db.url)).toEqual([
        'column users.updated_at (User.updatedAt) is missing',
        'normal index on refresh_tokens(family_id) is missing',
      ]);
    } finally {
      await db.drop();
    }
  });

  it('refuses a migration that was edited after it was applied', async () => {
    const db = await createTestDatabase('edited');
    const copy = mkdtempSync(join(tmpdir(), 'migrations-'));
    try {
      cpSync(join(prismaDir('user', repoRoot()), 'migrations'), copy, { recursive: true });
      await migrate(db.url, copy);
      const [first] = readMigrations(copy);
      writeFileSync(join(copy, first!.name, 'migration.sql'), `${first!.sql}\n-- edited\n`);
      await expect(migrate(db.url, copy)).rejects.toThrow(`migration ${first!.name} was changed after it was applied`);
    } finally {
      await db.drop();
    }
  });
});
