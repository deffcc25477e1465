// `npm run bench:storefront`: the routes a shopper hits first, through the gateway under autocannon
// (32 connections), next to a plain Node HTTP server measured in the same run. Once on the embedded
// default (Postgres search, in-process caches) and once on the test servers (Elasticsearch, Redis,
// Kafka). Beside each figure: the CPU each process spent per request, which says where the time goes.
//
//   BENCH_MODES=embedded,servers   BENCH_PRODUCTS=2000   BENCH_DURATION=8   BENCH_CONNECTIONS=32
//   BENCH_ROUTES=health,categories measures only the routes whose names hold one of these words.
//   BENCH_PROFILE=1 also profiles every service (node --cpu-prof) and prints the gateway's and the
//   product service's hottest code after the run, and where the gateway's CPU went, stage by stage of
//   its pipeline, while /health/live was measured.
import { mkdtempSync, readdirSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureTestInfra } from '@shop/testing';
import { Client } from 'pg';
import { freePort, type Platform, startPlatform } from '../scripts/platform/platform';
import { seedClients } from '../scripts/seed/clients';
import { seedCatalog } from '../scripts/seed/seed-catalog';
import { type Figures, measure, overLocalSocket, profileSummaries, startBaseline } from './bench-kit';
import { type CallFrame, readProfile, timeByStage } from './cpu-profile';

const ROOT = resolve(__dirname, '../..');
const MODES = (process.env.BENCH_MODES ?? 'embedded,servers').split(',').map((mode) => mode.trim());
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 2000);
const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PROFILE = process.env.BENCH_PROFILE === '1';
const ROUTE_FILTER = (process.env.BENCH_ROUTES ?? '').split(',').map((word) => word.trim()).filter(Boolean);

interface Route {
  name: string;
  path: string;
  /** The least req/s as a share of the plain Node server's, and the most p99 in ms; none for figures shown for information. */
  bar?: { ratio: number; p99Ms: number };
  /** Each request's own path, so that no cache has its answer: what the services themselves cost. */
  nextPath?: () => string;
}

/** Words shoppers type, one after another, each with a page number that makes the request new to every cache. */
const WORDS = ['mug', 'jacket', 'shirt', 'boots', 'lamp', 'pan', 'knife', 'towel', 'wool', 'leather', 'cotton', 'running', 'kettle', 'chair', 'cable'];
function uncached(path: (n: number) => string): () => string {
  let n = 0;
  return () => path((n += 1));
}

const p99Bar = PRODUCTS > 10_000 ? 100 : 50;
const ROUTES = (productId: string): Route[] => [
  { name: 'GET /health/live', path: '/health/live', bar: { ratio: 0.5, p99Ms: 50 } },
  { name: 'GET /products/:id', path: `/api/v1/products/${productId}`, bar: { ratio: 0.1, p99Ms: 50 } },
  { name: 'GET /categories', path: '/api/v1/categories', bar: { ratio: 0.1, p99Ms: 50 } },
  { name: 'GET /products?category (facets)', path: '/api/v1/products?limit=20&category=electronics', bar: { ratio: 0.03, p99Ms: p99Bar } },
  { name: 'GET /products?q=mug', path: '/api/v1/products?q=mug&limit=20', bar: { ratio: 0.03, p99Ms: p99Bar } },
  { name: 'GET /products?limit=1', path: '/api/v1/products?limit=1', bar: { ratio: 0.03, p99Ms: p99Bar } },
  {
    name: 'uncached: ?category&page=N (facets)',
    path: '/api/v1/products',
    nextPath: uncached((n) => `/api/v1/products?limit=20&category=electronics&page=${(n % 50) + 1}&sort=${n % 2 ? 'newest' : 'price_asc'}&maxPrice=${1_000_000 + n}`),
  },
  {
    name: 'uncached: ?q=<word>&page=N',
    path: '/api/v1/products',
    nextPath: uncached((n) => `/api/v1/products?q=${WORDS[n % WORDS.length]}&limit=20&page=${(n % 5) + 1}&maxPrice=${1_000_000 + n}`),
  },
];

/** The route whose CPU the gateway's profile is split by stage for: the bare hop, all pipeline and no work behind it. */
const PROBE = 'GET /health/live';

/**
 * Which part of the gateway's pipeline a profile sample is in: the innermost frame that says (Node's
 * own frames, reflect-metadata and prom-client are counted to whoever called them). The socket write
 * is the system call as the profiler saw it, which includes waiting for a core.
 */
function gatewayStage(stack: CallFrame[]): string {
  const leaf = stack[0]!.functionName;
  if (leaf === '(garbage collector)') return 'garbage collection';
  if (leaf === 'writev' || leaf === 'writeBuffer' || leaf === 'writeUtf8String' || leaf === 'writeLatin1String') return 'socket writes (the system call, waiting for a core included)';
  if (leaf === '(program)') return 'V8 and native code';
  for (const { url } of stack) {
    if (url.includes('async_hooks')) return 'async_hooks (the request context follows each promise)';
    if (/\/apps\/gateway\/src\/rate-limit\/|\/libs\/security\//.test(url)) return 'global guards: rate limits, auth, permissions';
    if (/\/libs\/(service-kit|observability|health|validation)\/|\/apps\/gateway\//.test(url)) return 'our hooks and the handler: request id, headers, checks, metrics';
    if (url.includes('/node_modules/@nestjs/')) return "Nest's router: guards, handler and reply plumbing";
    if (/\/node_modules\/(fastify|find-my-way|@fastify)\//.test(url)) return "Fastify: routing, hooks, writing the answer's headers";
    if (/\/node_modules\/(kafkajs|ioredis|pg|@grpc)\//.test(url)) return 'event consumers and clients (background)';
  }
  return "Node's HTTP server: parsing, sockets, timers";
}

/** The gateway's CPU per request of one measured route, by stage of its pipeline, from its CPU profile. */
function gatewayStageRows(profileDir: string, gatewayPid: number | undefined, figures: Figures): Array<Record<string, string>> {
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile') && Number(/^CPU\.\d+\.\d+\.(\d+)\./.exec(name)?.[1]) === gatewayPid);
  if (!file) return [];
  const byStage = timeByStage(readProfile(join(profileDir, file)), gatewayStage, figures.window);
  const perRequest = (micros: number) => (micros / Math.max(figures.requests, 1)).toFixed(2);
  const rows = [...byStage].sort((a, b) => b[1] - a[1]).map(([stage, micros]) => ({ stage, 'µs per request': perRequest(micros) }));
  // The profiler times samples by the wall clock, so a sample inside a system call also counts the time the
  // process waited for a core: the whole is set beside the CPU the kernel counted.
  rows.push({ stage: 'all stages (profiler, wall clock while on a call stack)', 'µs per request': perRequest([...byStage.values()].reduce((sum, micros) => sum + micros, 0)) });
  rows.push({ stage: 'gateway CPU as /proc counted it (profiler included)', 'µs per request': (figures.cpuMicros.gateway ?? 0).toFixed(2) });
  return rows;
}

async function seed(platform: Platform): Promise<void> {
  const port = (name: string) => `127.0.0.1:${platform.processes.get(name)!.grpcPort}`;
  const clients = seedClients(port('product'), port('inventory'));
  try {
    const report = await seedCatalog({ ...clients, products: PRODUCTS });
    const deadline = Date.now() + 300_000;
    const indexed = async () =>
      (await clients.product.call('searchProducts', { q: '', category: '', attributes: [], sort: '', page: 1, limit: 1 })).total;
    while ((await indexed()) < report.products.published) {
      if (Date.now() > deadline) throw new Error('the search index did not catch up with the catalogue in 5 minutes');
      await new Promise((r) => setTimeout(r, 250));
    }
    process.stdout.write(`[bench] ${report.products.published} published products loaded in ${(report.timings.totalMs / 1000).toFixed(1)} s\n`);
  } finally {
    clients.close();
  }
  await settle(platform);
}

/**
 * Waits until the seeding's events are through: the product and inventory outboxes published and
 * quiet for a few seconds, and the product service's copy of availability holding every SKU stocked.
 * Until then the tail of the load (translations, hundreds of thousands of stock counts at 100,000
 * products) keeps dropping the gateway's copies and loading the machine, and the routes would be
 * measured during the load rather than in a shop's steady state.
 */
async function settle(platform: Platform): Promise<void> {
  const started = Date.now();
  const connect = async (service: string) => {
    const client = new Client({ connectionString: platform.processes.get(service)!.env.DATABASE_URL });
    await client.connect();
    return client;
  };
  const [product, inventory] = [await connect('product'), await connect('inventory')];
  const outboxQuiet = async (client: Client) =>
    (
      await client.query<{ quiet: boolean }>(
        `SELECT count(*) FILTER (WHERE published_at IS NULL) = 0 AND coalesce(max(created_at), '-infinity') < now() - interval '3 seconds' AS quiet FROM outbox_events`,
      )
    ).rows[0]!.quiet;
  const count = async (client: Client, sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
  try {
    while (Date.now() - started < 600_000) {
      const stocked = await count(inventory, 'SELECT count(*) AS n FROM stock_items WHERE version > 0');
      const kept = await count(product, 'SELECT count(*) AS n FROM sku_availability');
      if ((await outboxQuiet(product)) && (await outboxQuiet(inventory)) && kept >= stocked) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await Promise.all([product.end(), inventory.end()]);
  }
  // The gateway hears the last events within moments of their publication.
  await new Promise((r) => setTimeout(r, 2000));
  process.stdout.write(`[bench] events settled ${((Date.now() - started) / 1000).toFixed(1)} s after the load\n`);
}

async function run(mode: string, servers?: ReturnType<typeof ensureTestInfra>): Promise<void> {
  const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'shop-bench-profile-')) : undefined;
  if (profileDir) process.env.SHOP_SERVICE_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${profileDir}`;
  const stamp = Date.now().toString(36);
  const platform = await startPlatform({
    root: ROOT,
    gatewayPort: await freePort(),
    databaseUrl: servers ? overLocalSocket(servers.postgresUrl) : undefined,
    databasePrefix: `bench_sf_${stamp}`,
    kafkaBrokers: servers?.kafkaBrokers,
    redisUrl: servers?.redisUrl,
    elasticsearchUrl: servers?.elasticsearchUrl,
    temporaryData: true,
    output: (service, line) => {
      if (/failed to start|"level":"(error|fatal)"/.test(line)) process.stderr.write(`${service}: ${line.slice(0, 500)}\n`);
    },
    supervise: false,
    log: () => undefined,
    env: {
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_IP: '100000000',
      RATE_LIMIT_PER_USER: '100000000',
      ...(servers ? { EVENT_GROUP_PREFIX: `bench-${stamp}.`, EVENT_TOPIC_PREFIX: `bench-${stamp}.`, ELASTICSEARCH_INDEX: `bench-products-${stamp}` } : {}),
    },
  });
  const pids = new Map([...platform.processes].map(([name, proc]) => [proc.child?.pid, name]));
  const gatewayPid = platform.processes.get('gateway')?.child?.pid;
  let probe: Figures | undefined;
  try {
    await seed(platform);
    const listing = (await (await fetch(`${platform.gatewayUrl}/api/v1/products?limit=1`)).json()) as { items: Array<{ id: string }> };
    const routes = ROUTES(listing.items[0]!.id);

    // The baseline answers a product page's body: what most storefront answers are like in size.
    const detail = await (await fetch(`${platform.gatewayUrl}${routes[1]!.path}`)).text();
    const baseline = await startBaseline(detail);
    const plain = await measure(baseline.url, { connections: CONNECTIONS, seconds: DURATION_SECONDS });
    baseline.stop();

    const rows: Array<Record<string, string | number>> = [
      { route: `plain Node HTTP (a product page's ${detail.length} bytes)`, 'req/s': Math.round(plain.rps), 'p50 ms': plain.p50, 'p99 ms': plain.p99, ratio: '1', bar: '', met: '' },
    ];
    const cpuRows: Array<Record<string, string | number>> = [];
    let failed = false;
    for (const route of routes.filter(({ name }) => ROUTE_FILTER.length === 0 || ROUTE_FILTER.some((word) => name.includes(word)))) {
      const figures = await measure(`${platform.gatewayUrl}${route.path}`, {
        platform,
        connections: CONNECTIONS,
        seconds: DURATION_SECONDS,
        nextPath: route.nextPath,
      });
      if (route.name === PROBE) probe = figures;
      const ratio = figures.rps / plain.rps;
      const met = route.bar ? ratio >= route.bar.ratio && figures.p99 <= route.bar.p99Ms && figures.failures === 0 : undefined;
      failed ||= figures.failures > 0;
      rows.push({
        route: route.name,
        'req/s': Math.round(figures.rps),
        'p50 ms': figures.p50,
        'p99 ms': figures.p99,
        ratio: ratio.toFixed(3),
        bar: route.bar ? `>= ${route.bar.ratio}, p99 <= ${route.bar.p99Ms}` : '(information)',
        met: figures.failures > 0 ? `${figures.failures} failed` : met === undefined ? '' : met ? 'yes' : 'no',
      });
      cpuRows.push({ route: route.name, ...Object.fromEntries(Object.entries(figures.cpuMicros).map(([name, micros]) => [name, Math.round(micros)])) });
    }
    process.stdout.write(`\n${mode}: ${PRODUCTS} products, ${CONNECTIONS} connections, ${DURATION_SECONDS} s per route, loopback, ${cpus().length} cores\n`);
    // eslint-disable-next-line no-console -- the benchmark prints tables for people
    console.table(rows);
    process.stdout.write('CPU µs per request, by process (where the time goes):\n');
    // eslint-disable-next-line no-console -- as above
    console.table(cpuRows);
    if (failed) process.exitCode = 1;
  } finally {
    await platform.stop();
    delete process.env.SHOP_SERVICE_NODE_ARGS;
  }
  if (profileDir) process.stdout.write(profileSummaries(profileDir, pids, ['gateway', 'product'], mode));
  if (profileDir && probe) {
    process.stdout.write(`\n${mode}: where the gateway's CPU went per ${PROBE} request, by stage of its pipeline (its profile, samples while the route was measured):\n`);
    // eslint-disable-next-line no-console -- as above
    console.table(gatewayStageRows(profileDir, gatewayPid, probe));
  }

}

async function main(): Promise<void> {
  if (MODES.includes('embedded')) await run('embedded default (Postgres search, in-process caches)');
  if (MODES.includes('servers')) await run('test servers (Elasticsearch, Redis, Kafka, Postgres)', ensureTestInfra());
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
