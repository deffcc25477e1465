// `node dist/scripts/migrate.js <service>`: applies prisma/<service>/migrations to DATABASE_URL,
// the same way `prisma migrate deploy` would (it records into _prisma_migrations).
import { migrate, prismaDir } from '@shop/persistence';
import { join } from 'node:path';

async function main(): Promise<void> {
  const service = process.argv[2];
  const databaseUrl = process.env.DATABASE_URL;
  if (!service || !databaseUrl) {
    process.stderr.write('usage: DATABASE_URL=postgres://… node dist/scripts/migrate.js <service>\n');
    process.exit(64);
  }
  const result = await migrate(databaseUrl, join(process.env.PRISMA_DIR ?? prismaDir(service), 'migrations'));
  process.stdout.write(`${service}: applied ${result.applied.length} (${result.applied.join(', ') || 'none'}), ${result.alreadyApplied.length} already applied\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
