import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { withMongoDatabase } from '@shop/mongo';
import { withDatabase } from '@shop/persistence';
import { startEmbeddedPostgres } from './embedded-postgres';
import { startLocalMongo } from './local-mongo';
import { BACKEND_SERVICES } from './services';

/**
 * How every service's node runs (the image sets the same in NODE_OPTIONS). V8 grows each semi-space of
 * the young generation to 16 MB as a service starts and keeps it while idle: about 30 MB of every
 * service's resident memory. With 4 MB semi-spaces each service idles at 105-145 MB
 * (`npm run bench:footprint`), for a few more scavenges: `npm run bench:checkout` confirmed 41.4 and
 * 41.3 orders/s against 42.5 and 43.0 with V8's default, alternated on a quiet machine.
 */
export const SERVICE_NODE_FLAGS = ['--enable-source-maps', '--max-semi-space-size=4'];

/**
 * glibc's malloc gives each thread that allocates (V8's GC and compiler threads, libuv's pool) an
 * arena of its own and keeps what was freed in each: after the demo catalogue's import the product
 * service held about 35 MB in four half-empty arenas. One arena, trimmed above 128 KB free, keeps
 * every service 10-30 MB smaller, within noise in `npm run bench:checkout`. The environment can
 * still set either. (The image runs on musl, whose malloc returns memory by itself.)
 */
const SERVICE_MALLOC_ENVIRONMENT = { MALLOC_ARENA_MAX: '1', MALLOC_TRIM_THRESHOLD_: '131072' };

export interface PlatformOptions {
  /** The repository root, holding dist/ and prisma/. */
  root?: string;
  /** Gateway port (8080 when not given); 0 picks a free one right before the gateway starts, again if that start fails. */
  gatewayPort?: number;
  /** A Postgres server for every service database; without it an embedded Postgres is started. */
  databaseUrl?: string;
  /** A service's own database URL, instead of one made on `databaseUrl`. */
  databaseUrls?: Record<string, string>;
  /** Prefix of the per-service database names (shop -> shop_auth, shop_user, shop_events). */
  databasePrefix?: string;
  kafkaBrokers?: string;
  redisUrl?: string;
  elasticsearchUrl?: string;
  /**
   * A MongoDB server for the services that keep their data there (review): each gets its own database
   * on it. Without it, a real mongod from mongodb-memory-server where one can be fetched, else FerretDB
   * over the platform's Postgres (built once by scripts/infra/ferretdb-build.sh).
   */
  mongoUrl?: string;
  /** The notification service's SMTP server; without it mail is written as .eml files under `<dataDir>/mail`. */
  smtpUrl?: string;
  dataDir?: string;
  /**
   * A data folder of the platform's own under the system's temp folder instead of `dataDir`, removed
   * with everything in it when the platform stops (tests and benches): the embedded Postgres keeps
   * its data inside it, never in the /var/lib fallback a private folder needs as root, which nothing
   * would ever remove.
   */
  temporaryData?: boolean;
  embeddedPostgresPort?: number;
  /** Extra environment for every service (log level, bcrypt cost, rate limits…). */
  env?: Record<string, string>;
  /** Where service output goes; defaults to this process's stdout/stderr. */
  output?: 'inherit' | 'ignore' | ((service: string, line: string) => void);
  /** Use each service's usual ports where free (npm start, so tools find them); tests leave this off. */
  preferDefaultPorts?: boolean;
  /** Restart a service that exits on its own (default true). */
  supervise?: boolean;
  log?: (message: string) => void;
}

export interface RunningProcess {
  name: string;
  /** Its last lines of output, kept when output is piped, to explain a failed start. */
  recentOutput: string[];
  env: Record<string, string>;
  child?: ChildProcess;
  grpcPort?: number;
  httpPort: number;
}

export interface Platform {
  gatewayUrl: string;
  adminEmail: string;
  adminPassword: string;
  adminCredentialsFile?: string;
  /** Where the platform keeps what it made (the embedded database, the admin's credentials). */
  dataDir: string;
  processes: Map<string, RunningProcess>;
  databaseUrls: Record<string, string>;
  /** Kills a service as a crash would (SIGKILL) and does not restart it. */
  kill(name: string): Promise<void>;
  /** Starts a killed service again and waits until it is ready. */
  start(name: string): Promise<void>;
  stop(): Promise<void>;
}

// Settings the platform decides per service; inherited values would point services at the wrong place.
const PLATFORM_VARIABLES = [
  'DATABASE_URL',
  'EVENTS_DATABASE_URL',
  'KAFKA_BROKERS',
  'REDIS_URL',
  'PORT',
  'HOST',
  'GRPC_PORT',
  'HTTP_PORT',
  'AUTH_GRPC_URL',
  'USER_GRPC_URL',
  'POSTGRES_URL',
  'ELASTICSEARCH_URL',
  'AUTH_DATABASE_URL',
  'USER_DATABASE_URL',
  'PRODUCT_DATABASE_URL',
  'INVENTORY_DATABASE_URL',
  'PRODUCT_GRPC_URL',
  'INVENTORY_GRPC_URL',
  'ORDER_GRPC_URL',
  'PAYMENT_GRPC_URL',
  'ORDER_DATABASE_URL',
  'PAYMENT_DATABASE_URL',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'NOTIFICATION_GRPC_URL',
  'NOTIFICATION_DATABASE_URL',
  'SMTP_URL',
  'MAIL_DIR',
  'MONGO_URL',
  'REVIEW_GRPC_URL',
  'CHAT_GRPC_URL',
  'OFFER_SIGNING_KEY',
];

function inheritedEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of PLATFORM_VARIABLES) delete env[name];
  return env;
}

/**
 * A port that is free now, chosen at random below the kernel's ephemeral range (32768 and up):
 * ports the OS hands out for `listen(0)` and outgoing connections are taken by other processes
 * at any moment, so a port picked there may be gone by the time a child process binds it.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await portIsFree(port)) return port;
  }
  return osAssignedPort();
}

async function osAssignedPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

export async function waitForReady(url: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`process behind ${url} exited before it was ready`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
      last = `HTTP ${response.status}: ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (${last})`);
}

function adminCredentials(dataDir: string): { email: string; password: string; file?: string } {
  if (process.env.ADMIN_EMAIL && process.env.ADMIN_PASSWORD) return { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD };
  const file = join(dataDir, 'admin-credentials.json');
  if (existsSync(file)) return { ...(JSON.parse(readFileSync(file, 'utf8')) as { email: string; password: string }), file };
  const credentials = { email: 'admin@shop.local', password: `Adm1n-${randomBytes(12).toString('base64url')}` };
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return { ...credentials, file };
}

/**
 * Starts the whole platform on one machine: Postgres (given or embedded), every service with its
 * migrations, then the gateway. Events go through Kafka when brokers are given, else through the
 * Postgres event log, with the same outbox and inbox guarantees.
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const root = resolve(options.root ?? process.cwd());
  const log = options.log ?? ((message: string) => process.stdout.write(`[platform] ${message}\n`));
  const dataDir = options.temporaryData ? temporaryDataDir() : resolve(options.dataDir ?? join(root, '.data'));
  mkdirSync(dataDir, { recursive: true });

  let stopEmbedded: (() => Promise<void>) | undefined;
  let serverUrl = options.databaseUrl;
  if (!serverUrl) {
    let port = options.embeddedPostgresPort ?? 54329;
    if (!(await portIsFree(port))) port = await freePort();
    const embedded = await startEmbeddedPostgres(dataDir, port);
    log(`embedded PostgreSQL on 127.0.0.1:${port} (data in ${embedded.dataDir})`);
    serverUrl = embedded.url;
    stopEmbedded = embedded.stop;
  }

  const prefix = options.databasePrefix ?? 'shop';
  const databaseUrls: Record<string, string> = { events: withDatabase(serverUrl, `${prefix}_events`) };
  for (const service of BACKEND_SERVICES) {
    if (!service.database) continue;
    // AUTH_DATABASE_URL, USER_DATABASE_URL…: a service's own database anywhere, else one on the shared server.
    databaseUrls[service.name] = options.databaseUrls?.[service.name] ?? withDatabase(serverUrl, `${prefix}_${service.name}`);
  }

  // MongoDB, for the services that keep their data there, started only when one does.
  let stopMongo: (() => Promise<void>) | undefined;
  let mongoServer = options.mongoUrl;
  if (!mongoServer && BACKEND_SERVICES.some((service) => service.uses?.includes('mongo'))) {
    try {
      let port = 27017;
      if (!options.preferDefaultPorts || !(await portIsFree(port))) port = await freePort();
      const mongo = await startLocalMongo({ root, dataDir, postgresUrl: serverUrl, databaseName: `${prefix}_mongo`, port, log });
      log(`${mongo.kind === 'mongod' ? 'MongoDB (mongod from mongodb-memory-server)' : 'FerretDB (MongoDB wire protocol over PostgreSQL)'} on ${mongo.url}`);
      mongoServer = mongo.url;
      stopMongo = mongo.stop;
    } catch (error) {
      await stopEmbedded?.();
      throw error;
    }
  }

  const admin = adminCredentials(dataDir);
  const sharedEnv: Record<string, string> = {
    NODE_ENV: process.env.NODE_ENV === 'test' ? 'test' : 'development',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    PRISMA_DIR: '',
    ...(options.kafkaBrokers ? { KAFKA_BROKERS: options.kafkaBrokers } : { EVENTS_DATABASE_URL: databaseUrls.events! }),
    ...options.env,
  };
  const processes = new Map<string, RunningProcess>();
  // The chatbot-bridge signs bargaining offer codes that the order service checks at checkout: one key
  // for both, new at every start (codes live minutes; a restart only voids the outstanding ones).
  const offerSigningKey = randomBytes(32).toString('base64url');
  for (const service of BACKEND_SERVICES) {
    const env: Record<string, string> = { ...sharedEnv, HOST: '127.0.0.1' };
    delete env.PRISMA_DIR;
    if (service.database) env.DATABASE_URL = databaseUrls[service.name]!;
    if (service.uses?.includes('mongo') && mongoServer) env.MONGO_URL = withMongoDatabase(mongoServer, `${prefix}_${service.name}`);
    if (service.name === 'auth') Object.assign(env, { ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
    if (service.uses?.includes('redis') && options.redisUrl) env.REDIS_URL = options.redisUrl;
    if (service.uses?.includes('elasticsearch') && options.elasticsearchUrl) env.ELASTICSEARCH_URL = options.elasticsearchUrl;
    if (service.name === 'order' || service.name === 'chatbot-bridge') env.OFFER_SIGNING_KEY = offerSigningKey;
    if (service.name === 'notification') {
      if (options.smtpUrl) env.SMTP_URL = options.smtpUrl;
      else env.MAIL_DIR = join(dataDir, 'mail');
    }
    processes.set(service.name, { name: service.name, env, httpPort: 0, recentOutput: [] });
  }
  const gatewayPort = options.gatewayPort ?? 8080;
  const gatewayEnvFull: Record<string, string> = { ...sharedEnv, HOST: '127.0.0.1', PORT: String(gatewayPort) };
  delete gatewayEnvFull.PRISMA_DIR;
  if (options.redisUrl) gatewayEnvFull.REDIS_URL = options.redisUrl;
  processes.set('gateway', { name: 'gateway', env: gatewayEnvFull, httpPort: gatewayPort, recentOutput: [] });

  // Ports are chosen right before a service first starts, and chosen again if that start fails, then
  // handed to the gateway and to the services that call it (which start once it is ready). A restart
  // after a kill keeps its ports, since its callers already know them.
  // The gateway's port is the caller's, unless it asked for any free one (0).
  // A port is free until its process binds it: services start side by side, so a port handed out
  // here (the gateway's included) is never handed out again, even while nothing listens on it yet.
  const handedOut = new Set<number>(gatewayPort ? [gatewayPort] : []);
  const unusedPort = async (preferred?: number): Promise<number> => {
    let port = preferred !== undefined && !handedOut.has(preferred) && (await portIsFree(preferred)) ? preferred : await freePort();
    while (handedOut.has(port)) port = await freePort();
    handedOut.add(port);
    return port;
  };
  const assignPorts = async (name: string): Promise<void> => {
    const proc = processes.get(name)!;
    const service = BACKEND_SERVICES.find((candidate) => candidate.name === name);
    if (!service) {
      if (options.gatewayPort !== 0) return;
      proc.httpPort = await unusedPort();
      proc.env.PORT = String(proc.httpPort);
      return;
    }
    const pick = (preferred: number) => unusedPort(options.preferDefaultPorts ? preferred : undefined);
    proc.grpcPort = await pick(service.defaultPorts.grpc);
    proc.httpPort = await pick(service.defaultPorts.http);
    Object.assign(proc.env, { GRPC_PORT: String(proc.grpcPort), HTTP_PORT: String(proc.httpPort) });
    const address = `127.0.0.1:${proc.grpcPort}`;
    gatewayEnvFull[service.gatewayEnv] = address;
    for (const caller of BACKEND_SERVICES.filter((candidate) => candidate.calls?.includes(service.name))) {
      processes.get(caller.name)!.env[service.gatewayEnv] = address;
    }
  };

  let stopping = false;
  const killed = new Set<string>();
  const everReady = new Set<string>();

  const outputMode = options.output === 'ignore' ? 'ignore' : typeof options.output === 'function' ? 'pipe' : 'inherit';
  const spawnService = (proc: RunningProcess): void => {
    // SHOP_SERVICE_NODE_ARGS adds flags that NODE_OPTIONS refuses, such as --cpu-prof for a profile of every service.
    const nodeArgs = (process.env.SHOP_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...nodeArgs, join(root, 'dist/apps', proc.name, 'src/main.js')], {
      cwd: root,
      env: { ...SERVICE_MALLOC_ENVIRONMENT, ...inheritedEnvironment(), ...proc.env },
      stdio: ['ignore', outputMode, outputMode],
    });
    if (typeof options.output === 'function') {
      const sink = options.output;
      for (const stream of [child.stdout, child.stderr]) {
        let buffer = '';
        stream?.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          const lines = buffer.split('\n');
          buffer = lines.pop() ?? '';
          for (const line of lines) {
            proc.recentOutput.push(line);
            if (proc.recentOutput.length > 30) proc.recentOutput.shift();
            sink(proc.name, line);
          }
        });
      }
    }
    proc.child = child;
    child.once('exit', (code, signal) => {
      if (proc.child === child) proc.child = undefined;
      // Only a service that was ready is supervised; a failing start is retried (or given up) by startOne.
      if (stopping || killed.has(proc.name) || !everReady.has(proc.name) || options.supervise === false) return;
      log(`${proc.name} exited (${signal ?? code}); restarting in 1 s`);
      setTimeout(() => {
        if (!stopping && !killed.has(proc.name)) spawnService(proc);
      }, 1000).unref();
    });
  };

  const startOne = async (name: string, attempts = 2, firstStart = false): Promise<void> => {
    const proc = processes.get(name)!;
    if (firstStart) await assignPorts(name);
    killed.delete(name);
    spawnService(proc);
    try {
      await waitForReady(`http://127.0.0.1:${proc.httpPort}/health/ready`, 120_000, () => proc.child !== undefined);
      everReady.add(name);
    } catch (error) {
      const tail = proc.recentOutput.slice(-10).join('\n');
      const reason = `${name}: ${(error as Error).message}${tail ? `\n${tail}` : ''}`;
      // A start can fail for a passing reason (a port taken in the meantime, a dependency slow under
      // load); one more try, said out loud, before giving up.
      if (attempts > 1 && proc.child === undefined) {
        log(`${reason}\n${name} is started once more`);
        return startOne(name, attempts - 1, firstStart);
      }
      throw new Error(reason);
    }
  };

  const stopAll = async (): Promise<void> => {
    stopping = true;
    const children = [...processes.values()].map((proc) => proc.child).filter((child): child is ChildProcess => Boolean(child));
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
            child.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await stopMongo?.();
    await stopEmbedded?.();
    if (options.temporaryData) rmSync(dataDir, { recursive: true, force: true });
  };

  // Services start side by side; one that calls others waits until they are ready, since it learns
  // their ports then (and a caller's first request should find its callee listening).
  const started = new Map<string, Promise<void>>();
  const startAfterCallees = (service: (typeof BACKEND_SERVICES)[number]): Promise<void> => {
    let done = started.get(service.name);
    if (!done) {
      done = (async () => {
        await Promise.all(BACKEND_SERVICES.filter((callee) => service.calls?.includes(callee.name)).map(startAfterCallees));
        await startOne(service.name, 2, true);
        log(`${service.name} ready (gRPC 127.0.0.1:${processes.get(service.name)!.grpcPort})`);
      })();
      started.set(service.name, done);
    }
    return done;
  };
  try {
    // allSettled: on a failure, nothing is still starting when everything is stopped.
    const outcomes = await Promise.allSettled(BACKEND_SERVICES.map(startAfterCallees));
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    await startOne('gateway', 2, true);
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    gatewayUrl: `http://localhost:${processes.get('gateway')!.httpPort}`,
    adminEmail: admin.email,
    adminPassword: admin.password,
    adminCredentialsFile: admin.file,
    dataDir,
    processes,
    databaseUrls,
    async kill(name) {
      const proc = processes.get(name);
      if (!proc?.child) return;
      killed.add(name);
      const child = proc.child;
      await new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGKILL');
      });
    },
    start: (name) => startOne(name),
    stop: stopAll,
  };
}

/** A fresh folder under the temp folder that others may pass through, so Postgres (run as `postgres` when we are root) keeps its data inside it. */
export function temporaryDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shop-platform-'));
  chmodSync(dir, 0o755);
  return dir;
}
