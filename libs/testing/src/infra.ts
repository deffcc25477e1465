import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { chooseInfraSource, dockerEngineAnswers, type InfraSource } from './infra-source';

export interface TestInfra {
  postgresUrl: string;
  redisUrl: string;
  kafkaBrokers: string;
  elasticsearchUrl: string;
  /** Mailpit's HTTP API (what arrived: GET /api/v1/messages, /api/v1/search?query=to:…). */
  mailpitUrl: string;
  /** Mailpit's SMTP server, `smtp://host:port` (any credentials accepted). */
  mailpitSmtpUrl: string;
  /** A MongoDB-wire server (FerretDB over the test Postgres here, a real mongod where one is given), `mongodb://host:port/`. */
  mongoUrl: string;
}

/** The repository root, from source (libs/testing/src) or from a build (dist/libs/testing/src) alike. */
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = resolve(dir, '..')) {
    if (existsSync(join(dir, 'scripts/infra/up.sh'))) return dir;
    if (resolve(dir, '..') === dir) throw new Error(`no scripts/infra/up.sh above ${start}`);
  }
}

const REPO_ROOT = findRepoRoot(__dirname);

/** Where scripts/infra/up.sh writes the endpoints of the servers it started. */
export function infraEndpointsFile(): string {
  const cache = process.env.SHOP_CACHE_DIR ?? join(homedir(), '.cache', 'shop-platform');
  return join(process.env.SHOP_INFRA_STATE ?? join(cache, 'run'), 'endpoints.env');
}

/** The endpoints scripts/infra/up.sh wrote (POSTGRES_URL, REDIS_URL…), empty before its first run. */
export function readInfraEndpoints(): Record<string, string> {
  const file = infraEndpointsFile();
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#') && line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

function fromEnvironment(): Partial<TestInfra> {
  return {
    postgresUrl: process.env.TEST_POSTGRES_URL ?? process.env.POSTGRES_URL,
    redisUrl: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL,
    kafkaBrokers: process.env.TEST_KAFKA_BROKERS ?? process.env.KAFKA_BROKERS,
    elasticsearchUrl: process.env.TEST_ELASTICSEARCH_URL ?? process.env.ELASTICSEARCH_URL,
    mailpitUrl: process.env.TEST_MAILPIT_URL ?? process.env.MAILPIT_URL,
    mailpitSmtpUrl: process.env.TEST_MAILPIT_SMTP_URL ?? process.env.MAILPIT_SMTP_URL,
    mongoUrl: process.env.TEST_MONGO_URL ?? process.env.MONGO_URL,
  };
}

function complete(infra: Partial<TestInfra>): infra is TestInfra {
  return Boolean(infra.postgresUrl && infra.redisUrl && infra.kafkaBrokers && infra.elasticsearchUrl && infra.mailpitUrl && infra.mailpitSmtpUrl && infra.mongoUrl);
}

/**
 * Makes sure the real servers the tests need are running, in this order of preference:
 * endpoints given in the environment, else the project's own scripts (scripts/infra/up.sh),
 * which install, cache and start Postgres, Redis, Kafka, Elasticsearch, Mailpit and FerretDB (MongoDB's wire protocol
 * over that Postgres) on loopback. Fails loudly otherwise.
 */
export function ensureTestInfra(): TestInfra {
  const given = fromEnvironment();
  if (complete(given)) return given;
  const up = spawnSync('bash', [join(REPO_ROOT, 'scripts/infra/up.sh'), 'postgres', 'redis', 'kafka', 'elasticsearch', 'mailpit', ...(given.mongoUrl ? [] : ['ferretdb'])], { stdio: 'inherit' });
  if (up.status !== 0) throw new Error(`scripts/infra/up.sh failed (exit ${up.status}); the tests need Postgres, Redis, Kafka, Elasticsearch, Mailpit and a MongoDB (FerretDB)`);
  const endpoints = readInfraEndpoints();
  const infra = {
    postgresUrl: given.postgresUrl ?? endpoints.POSTGRES_URL,
    redisUrl: given.redisUrl ?? endpoints.REDIS_URL,
    kafkaBrokers: given.kafkaBrokers ?? endpoints.KAFKA_BROKERS,
    elasticsearchUrl: given.elasticsearchUrl ?? endpoints.ELASTICSEARCH_URL,
    mailpitUrl: given.mailpitUrl ?? endpoints.MAILPIT_URL,
    mailpitSmtpUrl: given.mailpitSmtpUrl ?? endpoints.MAILPIT_SMTP_URL,
    mongoUrl: given.mongoUrl ?? endpoints.MONGO_URL,
  };
  if (!complete(infra)) throw new Error(`scripts/infra/up.sh ran but ${infraEndpointsFile()} lacks an endpoint: ${JSON.stringify(infra)}`);
  return infra;
}

export interface ProvideTestInfraDeps {
  dockerAnswers: () => Promise<boolean>;
  startContainers: (given: Partial<TestInfra>) => Promise<TestInfra>;
  runScripts: () => TestInfra;
  log: (line: string) => void;
}

/**
 * The servers for a test run, from where chooseInfraSource says: the environment, testcontainers
 * (a Docker engine answers: macOS and Windows with Docker Desktop), or scripts/infra/up.sh (Linux
 * without Docker, as CI here). SHOP_TEST_INFRA=testcontainers|scripts forces one.
 */
export async function provideTestInfra(deps: Partial<ProvideTestInfraDeps> = {}): Promise<TestInfra & { source: InfraSource }> {
  const given = fromEnvironment();
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const choice = await chooseInfraSource({
    allGiven: complete(given),
    forced: process.env.SHOP_TEST_INFRA,
    dockerAnswers: deps.dockerAnswers ?? (() => dockerEngineAnswers()),
    platform: process.platform,
  });
  log(`[infra] test servers from ${choice.source}: ${choice.why}`);
  switch (choice.source) {
    case 'environment':
      return { ...(given as TestInfra), source: choice.source };
    case 'testcontainers': {
      const start = deps.startContainers ?? (async (partial: Partial<TestInfra>) => (await import('./infra-containers')).startTestContainers(partial));
      return { ...(await start(given)), source: choice.source };
    }
    default:
      return { ...(deps.runScripts ?? ensureTestInfra)(), source: choice.source };
  }
}

/** The endpoints for a test; globalSetup has put them in the environment. */
export function testInfra(): TestInfra {
  const infra = fromEnvironment();
  if (!complete(infra)) {
    throw new Error('test infrastructure is not configured: run the tests through jest (its globalSetup runs scripts/infra/up.sh)');
  }
  return infra;
}

/** The repository root, for tests that start the built platform. */
export function repoRoot(): string {
  return REPO_ROOT;
}

export function gitSha(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT }).toString().trim();
  } catch {
    return 'unknown';
  }
}
