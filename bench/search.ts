// The search benchmark: for each catalogue size, GET /api/v1/products?q=…&category=…&sort=relevance
// through the gateway (HTTP, validation, gRPC to the product service, category lookup, Elasticsearch)
// under autocannon, next to the same Elasticsearch query sent straight to Elasticsearch in the same
// run. The direct request is built by the product service's own searchRequest() (its body and its
// URL parameters), so both do the same search; the ratio is what the layers in front of
// Elasticsearch cost. Twice: the 20 queries in turn, as shoppers repeat them (the gateway answers
// repeats from its catalogue cache), and each request new to every cache (a price bound of its own,
// on both sides), which is the whole path. Requests new to every cache also go through the stack's
// floor (search-floor-server.ts: fastify, grpc-js and the Elasticsearch client with our query
// parsing and answer mapping, none of our other layers), so the run shows what the bar leaves for them.
// Beside the figures: where a request's time goes, stage by stage (from the gateway's and the
// product service's histograms) and in CPU per process.
//
//   node dist/bench/search.js        BENCH_SEARCH_SIZES=10000,100000 BENCH_DURATION=10 BENCH_CONNECTIONS=16
//   BENCH_SEARCH_LOADS=fresh runs only the searches new to every cache (default: in-turn,fresh), so a
//   profile holds only them.
//   BENCH_PROFILE=1 also profiles the gateway and the product service while they are measured (not
//   while seeding: both are restarted with node --cpu-prof once the index holds the catalogue) and
//   prints their hottest code.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { withDatabase } from '@shop/persistence';
import type autocannon from 'autocannon';
import { searchRequest } from '../apps/product/src/search/elasticsearch-query';
import { seedClients } from '../scripts/seed/clients';
import { seedCatalog } from '../scripts/seed/seed-catalog';
import { freePort, type Platform, startPlatform } from '../scripts/platform/platform';
import { BACKEND_SERVICES } from '../scripts/platform/services';
import { type Figures, gatewayRouteStages, measure, profileSummaries, type Stage, stageRows } from './bench-kit';
import { countLiveDocuments, deleteIndexAlias, dropDatabases, type SearchFloor, searchBenchInfra, searchElasticsearch, startSearchFloor } from './search-infra';
import { type BenchQuery, SEARCH_QUERIES } from './search-queries';

const SIZES = (process.env.BENCH_SEARCH_SIZES ?? '10000,100000').split(',').map((size) => Number(size.trim()));
const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const PAGE_SIZE = 20;
const INDEX_WAIT_MS = Number(process.env.BENCH_INDEX_TIMEOUT_SECONDS ?? 3600) * 1000;
const PROFILE = process.env.BENCH_PROFILE === '1';
const LOADS = new Set((process.env.BENCH_SEARCH_LOADS ?? 'in-turn,fresh').split(',').map((load) => load.trim()));
/** The bar: the gateway at least this share of Elasticsearch's own throughput. */
const BAR_RATIO = 0.8;
/** A price bound far above every product's, different for each request: the same hits, new to every cache. */
const FRESH_BOUND = 1_000_000_000;

const FLOOR_TITLE = "the same, through the stack's floor (fastify, grpc-js, Elasticsearch client; none of our layers)";

const log = (message: string) => process.stdout.write(`[bench] ${message}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * A search request's path, each stretch timed by a histogram of the service it runs in: the
 * gateway's answer holds its gRPC call, which holds the product service's handling of it, which holds
 * the category lookup and the Elasticsearch round trip. A stage's own time is what its inner ones leave.
 */
const SEARCH_STAGES: Stage[] = [
  ...gatewayRouteStages(
    { path: '/api/v1/products', title: 'HTTP, validation, catalogue cache, JSON' },
    { service: 'product', method: 'searchProducts', title: 'SearchProducts' },
    ['product: category lookup (the tree kept in memory)', 'product: Elasticsearch (request, its client, hits mapped)'],
  ),
  { name: 'product: category lookup (the tree kept in memory)', service: 'product', histogram: 'shop_product_search_stage_seconds', labels: { stage: 'category' } },
  { name: 'product: Elasticsearch (request, its client, hits mapped)', service: 'product', histogram: 'shop_product_search_stage_seconds', labels: { stage: 'engine' } },
];

function gatewayPath({ q, category }: BenchQuery, maxPrice?: number): string {
  const params = new URLSearchParams({ q, category, sort: 'relevance', limit: String(PAGE_SIZE) });
  if (maxPrice !== undefined) params.set('maxPrice', String(maxPrice));
  return `/api/v1/products?${params}`;
}

/** A search as the product service sends it to Elasticsearch: its URL (index, filter_path) and its body. */
interface DirectSearch {
  path: string;
  body: object;
}

function directSearch(index: string, query: BenchQuery, categoryId: string, maxPrice?: number): DirectSearch {
  const { index: _index, filter_path: filterPath, ...body } = searchRequest(index, { q: query.q, categoryIds: [categoryId], sort: 'relevance', page: 1, limit: PAGE_SIZE, maxPrice });
  const params = filterPath === undefined ? '' : `?${new URLSearchParams({ filter_path: [filterPath].flat().join(',') })}`;
  return { path: `/${index}/_search${params}`, body };
}

/** The 20 queries in turn, or each request with a price bound of its own (`fresh`), as autocannon requests. */
function gatewayRequests(fresh: boolean): autocannon.Request[] {
  if (!fresh) return SEARCH_QUERIES.map((query) => ({ method: 'GET', path: gatewayPath(query) }));
  let n = 0;
  return [{ method: 'GET', setupRequest: (request) => ({ ...request, path: gatewayPath(SEARCH_QUERIES[n % SEARCH_QUERIES.length]!, FRESH_BOUND + (n += 1)) }) }];
}

function directRequests(index: string, categoryIds: string[], fresh: boolean): autocannon.Request[] {
  const post = ({ path, body }: DirectSearch) => ({ method: 'POST' as const, path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!fresh) return SEARCH_QUERIES.map((query, i) => post(directSearch(index, query, categoryIds[i]!)));
  let n = 0;
  return [
    {
      ...post(directSearch(index, SEARCH_QUERIES[0]!, categoryIds[0]!)),
      setupRequest: (request) => {
        const i = n % SEARCH_QUERIES.length;
        return { ...request, body: JSON.stringify(directSearch(index, SEARCH_QUERIES[i]!, categoryIds[i]!, FRESH_BOUND + (n += 1)).body) };
      },
    },
  ];
}

async function waitForIndex(es: string, index: string, expected: number): Promise<void> {
  const deadline = Date.now() + INDEX_WAIT_MS;
  let lastLog = Date.now();
  for (;;) {
    const count = await countLiveDocuments(es, index);
    if (count >= expected) return;
    if (Date.now() > deadline) throw new Error(`the index holds ${count} of ${expected} products after ${seconds(INDEX_WAIT_MS)}`);
    if (Date.now() - lastLog > 15_000) {
      log(`  indexed ${count}/${expected}`);
      lastLog = Date.now();
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Both ways must find the same products, or the comparison would be between different work. */
async function checkSameAnswers(gatewayUrl: string, es: string, searches: DirectSearch[]): Promise<string[]> {
  const differences: string[] = [];
  for (const [i, query] of SEARCH_QUERIES.entries()) {
    const viaGateway = (await (await fetch(`${gatewayUrl}${gatewayPath(query)}`)).json()) as { total: number; items: Array<{ id: string }> };
    const { path, body } = searches[i]!;
    // Only what filter_path leaves: the total and the sources, and no hits array when nothing matched.
    const direct = (await searchElasticsearch(`${es}${path}`, body)) as { hits: { total: { value: number }; hits?: Array<{ _source: { id: string } }> } };
    const same = viaGateway.total === direct.hits.total.value && viaGateway.items.map((item) => item.id).join() === (direct.hits.hits ?? []).map((hit) => hit._source.id).join();
    if (!same) differences.push(`"${query.q}" in ${query.category}: gateway ${viaGateway.total} hits, Elasticsearch ${direct.hits.total.value}`);
    if (viaGateway.total === 0) differences.push(`"${query.q}" in ${query.category} finds nothing`);
  }
  return differences;
}

/** The 20 queries in turn (as shoppers repeat them), or each request new to every cache. */
interface Load {
  name: 'in-turn' | 'fresh';
  title: string;
  fresh: boolean;
}

const ALL_LOADS: Load[] = [
  { name: 'in-turn', title: 'the queries in turn', fresh: false },
  { name: 'fresh', title: 'each request new', fresh: true },
];

interface LoadResult {
  load: Load;
  gateway: Figures;
  direct: Figures;
  /** The same requests through the stack's floor (search-floor-server.ts), for requests new to every cache. */
  floor?: Figures;
}

interface SizeResult {
  size: number;
  published: number;
  seedMs: number;
  indexMs: number;
  /** The loads run (BENCH_SEARCH_LOADS), each through the gateway and straight to Elasticsearch. */
  loads: LoadResult[];
  differences: string[];
  profiles: string;
}

async function benchSize(root: string, size: number, infra: { postgresUrl: string; elasticsearchUrl: string }): Promise<SizeResult> {
  const run = `bench_search_${Date.now().toString(36)}`;
  const index = run.replace(/_/g, '-');
  const es = infra.elasticsearchUrl;
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-bench-search-'));
  log(`${size} products: starting the platform (index ${index}, databases ${run}_*)…`);
  let platform: Platform | undefined;
  let floor: SearchFloor | undefined;
  try {
    platform = await startPlatform({
      root,
      gatewayPort: await freePort(),
      databaseUrl: infra.postgresUrl,
      databasePrefix: run,
      elasticsearchUrl: es,
      kafkaBrokers: process.env.KAFKA_BROKERS || undefined,
      redisUrl: process.env.REDIS_URL || undefined,
      dataDir,
      output: (service, line) => {
        if (/"level":(50|60|"error"|"fatal")|failed to start/.test(line)) process.stderr.write(`${service}: ${line}\n`);
      },
      supervise: false,
      log: () => undefined,
      // Topics and consumer groups of its own: a bench's 100,000 product events on the shared topics
      // would be read by every later test whose consumers start from the beginning.
      env: {
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_IP: '100000000',
        RATE_LIMIT_PER_USER: '100000000',
        ELASTICSEARCH_INDEX: index,
        EVENT_TOPIC_PREFIX: `${run}.`,
        EVENT_GROUP_PREFIX: `${run}.`,
      },
    });
    const clients = seedClients(`127.0.0.1:${platform.processes.get('product')!.grpcPort}`);
    let categoryIds: Map<string, string>;
    const seedStarted = performance.now();
    let published: number;
    try {
      const report = await seedCatalog({ product: clients.product, products: size, log: (message) => log(`  ${message}`) });
      published = report.products.published;
      log(`  seeded ${size} products (${report.variants} SKUs) in ${seconds(report.timings.totalMs)}`);
      categoryIds = new Map((await clients.product.call('listCategories', {})).items.map((c) => [c.slug, c.id]));
    } finally {
      clients.close();
    }
    const seedMs = performance.now() - seedStarted;
    const indexStarted = performance.now();
    await waitForIndex(es, index, published);
    const indexMs = performance.now() - indexStarted;
    log(`  the index holds all ${published} published products ${seconds(indexMs)} after seeding ended`);

    const queryCategoryIds = SEARCH_QUERIES.map((query) => {
      const id = categoryIds.get(query.category);
      if (!id) throw new Error(`bench query category ${query.category} is not in the demo catalogue`);
      return id;
    });
    const searches = SEARCH_QUERIES.map((query, i) => directSearch(index, query, queryCategoryIds[i]!));
    const differences = await checkSameAnswers(platform.gatewayUrl, es, searches);
    for (const difference of differences) log(`  differs: ${difference}`);
    if (differences.length === 0) log(`  all ${SEARCH_QUERIES.length} queries find products, the same total and first page both ways`);

    let profileDir: string | undefined;
    if (PROFILE) {
      // Profiles of the measured load only: the two processes start again, profiled, now that seeding is over.
      profileDir = mkdtempSync(join(tmpdir(), 'shop-bench-profile-'));
      process.env.SHOP_SERVICE_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${profileDir}`;
      try {
        for (const name of ['gateway', 'product']) await platform.kill(name);
        for (const name of ['product', 'gateway']) await platform.start(name);
      } finally {
        delete process.env.SHOP_SERVICE_NODE_ARGS;
      }
    }
    const pids = new Map([...platform.processes].map(([name, proc]) => [proc.child?.pid, name]));
    const options = { platform, connections: CONNECTIONS, seconds: DURATION_SECONDS };
    const loads: LoadResult[] = [];
    if (LOADS.has('fresh')) floor = await startSearchFloor(es, index, categoryIds);
    for (const load of ALL_LOADS.filter(({ name }) => LOADS.has(name))) {
      log(`  load, ${load.title}: gateway, ${load.fresh ? 'the stack\'s floor, ' : ''}then Elasticsearch directly (${CONNECTIONS} connections, ${DURATION_SECONDS} s each)`);
      const gateway = await measure(platform.gatewayUrl, { ...options, requests: gatewayRequests(load.fresh), stages: SEARCH_STAGES });
      // Without a cache the floor would answer repeats as new: only the load of new requests compares.
      const floorFigures = load.fresh && floor ? await measure(floor.url, { ...options, requests: gatewayRequests(true), servers: floor.pids }) : undefined;
      const direct = await measure(es, { ...options, requests: directRequests(index, queryCategoryIds, load.fresh) });
      loads.push({ load, gateway, direct, floor: floorFigures });
    }
    floor?.stop();
    await platform.stop();
    const profiles = profileDir ? profileSummaries(profileDir, pids, ['gateway', 'product'], `search, ${size} products:`) : '';
    return { size, published, seedMs, indexMs, loads, differences, profiles };
  } finally {
    floor?.stop();
    await platform?.stop();
    await deleteIndexAlias(es, index).catch((error: unknown) => log(`could not delete index ${index}: ${(error as Error).message}`));
    // Named here rather than read from the platform, which is missing when it failed half way through starting.
    const databases = ['events', ...BACKEND_SERVICES.filter((s) => s.database).map((s) => s.name)].map((name) => withDatabase(infra.postgresUrl, `${run}_${name}`));
    await dropDatabases(databases).catch((error: unknown) => log(`could not drop databases: ${(error as Error).message}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function printTable(result: SizeResult): void {
  const row = (target: string, f: Figures) => ({ target, 'req/s': Math.round(f.rps), 'p50 ms': f.p50, 'p99 ms': f.p99, failed: f.failures });
  const ratio = (gateway: Figures, direct: Figures) =>
    `${(gateway.rps / direct.rps).toFixed(3)} (bar >= ${BAR_RATIO}: ${gateway.rps / direct.rps >= BAR_RATIO ? 'met' : 'not met'}), p99 ${(gateway.p99 / Math.max(direct.p99, 1)).toFixed(1)}x`;
  process.stdout.write(
    `\n${result.size.toLocaleString('en')} products (${result.published.toLocaleString('en')} published): seeded in ${seconds(result.seedMs)}, indexed ${seconds(result.indexMs)} later\n`,
  );
  // eslint-disable-next-line no-console -- the benchmark prints tables for people
  console.table(
    result.loads.flatMap(({ load, gateway, direct, floor }) => [
      row(`${load.title}, via gateway`, gateway),
      ...(floor ? [row(FLOOR_TITLE, floor)] : []),
      row('the same, straight to Elasticsearch', direct),
    ]),
  );
  for (const { load, gateway, direct, floor } of result.loads) {
    process.stdout.write(`gateway / direct, ${load.title}: ${ratio(gateway, direct)}\n`);
    if (floor) process.stdout.write(`the stack's floor / direct, ${load.title}: ${(floor.rps / direct.rps).toFixed(3)} (what the gateway would reach with none of our layers), p99 ${(floor.p99 / Math.max(direct.p99, 1)).toFixed(1)}x\n`);
  }
  for (const { load, gateway } of result.loads) {
    process.stdout.write(`where a gateway request's time goes, ${load.title} (mean wall time, from the services' histograms):\n`);
    // eslint-disable-next-line no-console -- as above
    console.table(stageRows(gateway.stages));
  }
  process.stdout.write('CPU µs per request, by process (java: Elasticsearch, and Kafka when it runs):\n');
  const cpu = (f: Figures) => Object.fromEntries(Object.entries(f.cpuMicros).map(([name, micros]) => [name, Math.round(micros)]));
  // eslint-disable-next-line no-console -- as above
  console.table(
    result.loads.flatMap(({ load, gateway, direct, floor }) => [
      { load: `${load.title}, via gateway`, ...cpu(gateway) },
      ...(floor ? [{ load: `${load.title}, the stack's floor`, ...cpu(floor) }] : []),
      { load: `${load.title}, direct`, ...cpu(direct) },
    ]),
  );
}

async function main(): Promise<void> {
  const unknown = [...LOADS].filter((name) => !ALL_LOADS.some((load) => load.name === name));
  if (unknown.length > 0) throw new Error(`BENCH_SEARCH_LOADS takes ${ALL_LOADS.map((load) => load.name).join(', ')}; not ${unknown.join(', ')}`);
  if (SIZES.some((size) => !Number.isInteger(size) || size < 1)) throw new Error(`BENCH_SEARCH_SIZES must be whole numbers, got ${process.env.BENCH_SEARCH_SIZES}`);
  const root = resolve(__dirname, '../..');
  const infra = await searchBenchInfra(root, log);
  log(`Postgres ${new URL(infra.postgresUrl).host}, Elasticsearch ${infra.elasticsearchUrl}; sizes ${SIZES.join(', ')}`);
  const results: SizeResult[] = [];
  for (const size of SIZES) {
    const result = await benchSize(root, size, infra);
    results.push(result);
    printTable(result);
  }
  process.stdout.write(`\nSummary: ${CONNECTIONS} connections, ${DURATION_SECONDS} s each, ${SEARCH_QUERIES.length} queries in turn, loopback, ${cpus().length} cores\n`);
  if (results.length > 1) for (const result of results) printTable(result);
  for (const result of results) process.stdout.write(result.profiles);
  const failed = results.some((r) => r.differences.length > 0 || r.loads.some(({ gateway, direct, floor }) => gateway.failures + direct.failures + (floor?.failures ?? 0) > 0));
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
