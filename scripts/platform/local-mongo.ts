import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { startMongoMemoryServer } from '@shop/mongo';
import { ensureDatabase, withDatabase } from '@shop/persistence';

export interface LocalMongo {
  /** `mongodb://127.0.0.1:<port>/`: each service puts its own database in the path. */
  url: string;
  kind: 'mongod' | 'ferretdb';
  stop(): Promise<void>;
}

export interface LocalMongoOptions {
  root: string;
  dataDir: string;
  /** The platform's Postgres server: FerretDB keeps its data in a database of its own there. */
  postgresUrl: string;
  databaseName: string;
  port: number;
  log: (message: string) => void;
}

type Kind = LocalMongo['kind'];

/**
 * A MongoDB for the embedded default, with nothing installed by hand: a real `mongod` from
 * mongodb-memory-server where it can download one (a laptop with internet; data under
 * `<dataDir>/mongo/db`), else FerretDB (built once from the Go module proxy by
 * scripts/infra/ferretdb-build.sh, cached under ~/.cache/shop-platform) over the platform's own
 * Postgres. The first start's choice is kept in `<dataDir>/mongo/backend`, so reviews written on
 * one never vanish behind the other; delete that file (and the data) to choose again.
 */
export async function startLocalMongo(options: LocalMongoOptions): Promise<LocalMongo> {
  const mongoDir = join(options.dataDir, 'mongo');
  mkdirSync(mongoDir, { recursive: true });
  const choiceFile = join(mongoDir, 'backend');
  const chosen = existsSync(choiceFile) ? (readFileSync(choiceFile, 'utf8').trim() as Kind) : undefined;
  const remember = (kind: Kind) => writeFileSync(choiceFile, `${kind}\n`);

  if (chosen !== 'ferretdb' && process.env.SHOP_MONGO_BACKEND !== 'ferretdb' && (chosen === 'mongod' || (await mongodCanBeHad()))) {
    try {
      const dbPath = join(mongoDir, 'db');
      mkdirSync(dbPath, { recursive: true });
      const started = await startMongoMemoryServer({ dbPath, port: options.port });
      remember('mongod');
      return { url: started.url.replace(/\/[^/?]*(\?.*)?$/, '/'), kind: 'mongod', stop: started.stop };
    } catch (error) {
      if (chosen === 'mongod') throw new Error(`the MongoDB this data was written with (mongod from mongodb-memory-server) cannot start: ${(error as Error).message}`);
      options.log(`no mongod to be had (${(error as Error).message.split('\n')[0]!.slice(0, 160)}); using FerretDB over PostgreSQL`);
    }
  }
  const ferret = await startFerretDb(options);
  remember('ferretdb');
  return ferret;
}

/**
 * Whether mongodb-memory-server can get a mongod: one it was pointed at (MONGOMS_SYSTEM_BINARY), or
 * MongoDB's download site resolving. Asked first because a failing download takes it half a minute.
 */
async function mongodCanBeHad(): Promise<boolean> {
  if (process.env.MONGOMS_SYSTEM_BINARY) return true;
  const host = new URL(process.env.MONGOMS_DOWNLOAD_MIRROR ?? 'https://fastdl.mongodb.org').hostname;
  const resolved = lookup(host).then(
    () => true,
    () => false,
  );
  return Promise.race([resolved, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000).unref())]);
}

const FERRETDB_POSTGRES_POOL = 100;

async function startFerretDb(options: LocalMongoOptions): Promise<LocalMongo> {
  const build = spawnSync('bash', [join(options.root, 'scripts/infra/ferretdb-build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 30 * 60_000 });
  const binary = build.stdout?.trim().split('\n').pop();
  if (build.status !== 0 || !binary) throw new Error(`scripts/infra/ferretdb-build.sh failed (exit ${build.status})`);
  const postgresUrl = withDatabase(options.postgresUrl, options.databaseName);
  await ensureDatabase(postgresUrl);
  // FerretDB 1.24 deadlocks for good once as many operations as its Postgres pool holds (50 by
  // default) are in flight while one creates a database or collection (which the services do only
  // as they start). 100 leaves the embedded Postgres (200 connections) room for the other services.
  const ferretUrl = new URL(postgresUrl);
  ferretUrl.searchParams.set('pool_max_conns', String(FERRETDB_POSTGRES_POOL));
  const stateDir = join(options.dataDir, 'ferretdb');
  mkdirSync(stateDir, { recursive: true });
  const child: ChildProcess = spawn(
    binary,
    [
      '--handler=postgresql',
      `--postgresql-url=${ferretUrl.toString()}`,
      `--listen-addr=127.0.0.1:${options.port}`,
      '--debug-addr=-',
      `--state-dir=${stateDir}`,
      '--telemetry=disable',
      '--log-level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
  const deadline = Date.now() + 30_000;
  while (!(await portAnswers(options.port))) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited during start (${child.exitCode}): ${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`FerretDB did not answer on 127.0.0.1:${options.port} within 30 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `mongodb://127.0.0.1:${options.port}/`,
    kind: 'ferretdb',
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
