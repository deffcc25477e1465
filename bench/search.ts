// The search benchmark: for each catalogue size, GET /api/v1/products?q=…&category=…&sort=relevance
// through the gateway (HTTP, validation, gRPC to the product service, category lookup, Elasticsearch)
// under autocannon, next to the same Elasticsearch query sent straight to Elasticsearch in the same
// run. The direct request is built by the product service's own searchRequest(), so both do the
// same search; the ratio is what the layers in front of Elasticsearch cost.
//
//   node dist/bench/search.js        BENCH_SEARCH_SIZES=10000,100000 BENCH_DURATION=10 BENCH_CONNECTIONS=16
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { withDatabase } from '@shop/persistence';
import autocannon from 'autocannon';
import { searchRequest } from '../apps/product/src/search/elasticsearch-query';
import { seedClients } from '../scripts/seed/clients';
import { seedCatalog } from '../scripts/seed/seed-catalog';
import { freePort, type Platform, startPlatform } from '../scripts/platform/platform';
import { BACKEND_SERVICES } from '../scripts/platform/services';
import { countLiveDocuments, deleteIndexAlias, dropDatabases, searchBenchInfra, searchElasticsearch } from './search-infra';
import { type BenchQuery, SEARCH_QUERIES } from './search-queries';

const SIZES = (process.env.BENCH_SEARCH_SIZES ?? '10000,100000').split(',').map((size) => Number(size.trim()));
const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const PAGE_SIZE = 20;
const INDEX_WAIT_MS = Number(process.env.BENCH_INDEX_TIMEOUT_SECONDS ?? 3600) * 1000;

const log = (message: string) => process.stdout.write(`[bench] ${message}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(options: autocannon.Options): Promise<Figures> {
  // A short warm-up so JIT, connection pools and Elasticsearch's caches settle before measuring.
  await autocannon({ ...options, connections: CONNECTIONS, duration: 2 });
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: DURATION_SECONDS });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

function gatewayPath({ q, category }: BenchQuery): string {
  return `/api/v1/products?${new URLSearchParams({ q, category, sort: 'relevance', limit: String(PAGE_SIZE) })}`;
}

/** The body the product service sends Elasticsearch for this query (the index goes in the URL). */
function directBody(query: BenchQuery, categoryId: string): object {
  const { index: _index, ...body } = searchRequest('unused', { q: query.q, categoryIds: [categoryId], sort: 'relevance', page: 1, limit: PAGE_SIZE });
  return body;
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
async function checkSameAnswers(gatewayUrl: string, es: string, index: string, bodies: object[]): Promise<string[]> {
  const differences: string[] = [];
  for (const [i, query] of SEARCH_QUERIES.entries()) {
    const viaGateway = (await (await fetch(`${gatewayUrl}${gatewayPath(query)}`)).json()) as { total: number; items: Array<{ id: string }> };
    const direct = (await searchElasticsearch(es, index, bodies[i])) as { hits: { total: { value: number }; hits: Array<{ _id: string }> } };
    const same = viaGateway.total === direct.hits.total.value && viaGateway.items.map((item) => item.id).join() === direct.hits.hits.map((hit) => hit._id).join();
    if (!same) differences.push(`"${query.q}" in ${query.category}: gateway ${viaGateway.total} hits, Elasticsearch ${direct.hits.total.value}`);
    if (viaGateway.total === 0) differences.push(`"${query.q}" in ${query.category} finds nothing`);
  }
  return differences;
}

interface SizeResult {
  size: number;
  published: number;
  seedMs: number;
  indexMs: number;
  gateway: Figures;
  direct: Figures;
  differences: string[];
}

async function benchSize(root: string, size: number, infra: { postgresUrl: string; elasticsearchUrl: string }): Promise<SizeResult> {
  const run = `bench_search_${Date.now().toString(36)}`;
  const index = run.replace(/_/g, '-');
  const es = infra.elasticsearchUrl;
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-bench-search-'));
  log(`${size} products: starting the platform (index ${index}, databases ${run}_*)…`);
  let platform: Platform | undefined;
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

    const bodies = SEARCH_QUERIES.map((query) => {
      const id = categoryIds.get(query.category);
      if (!id) throw new Error(`bench query category ${query.category} is not in the demo catalogue`);
      return directBody(query, id);
    });
    const differences = await checkSameAnswers(platform.gatewayUrl, es, index, bodies);
    for (const difference of differences) log(`  differs: ${difference}`);
    if (differences.length === 0) log(`  all ${SEARCH_QUERIES.length} queries find products, the same total and first page both ways`);

    log(`  load: gateway, then Elasticsearch directly (${CONNECTIONS} connections, ${DURATION_SECONDS} s each)`);
    const gateway = await load({ url: platform.gatewayUrl, requests: SEARCH_QUERIES.map((query) => ({ method: 'GET', path: gatewayPath(query) })) });
    const direct = await load({
      url: es,
      requests: bodies.map((body) => ({ method: 'POST', path: `/${index}/_search`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })),
    });
    return { size, published, seedMs, indexMs, gateway, direct, differences };
  } finally {
    await platform?.stop();
    await deleteIndexAlias(es, index).catch((error: unknown) => log(`could not delete index ${index}: ${(error as Error).message}`));
    // Named here rather than read from the platform, which is missing when it failed half way through starting.
    const databases = ['events', ...BACKEND_SERVICES.filter((s) => s.database).map((s) => s.name)].map((name) => withDatabase(infra.postgresUrl, `${run}_${name}`));
    await dropDatabases(databases).catch((error: unknown) => log(`could not drop databases: ${(error as Error).message}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function printTable(result: SizeResult): void {
  const row = (target: string, f: Figures) => ({ target, 'req/s': Math.round(f.rps), 'p50 ms': f.p50, 'p99 ms': f.p99, 'non-2xx': f.non2xx, errors: f.errors });
  process.stdout.write(
    `\n${result.size.toLocaleString('en')} products (${result.published.toLocaleString('en')} published): seeded in ${seconds(result.seedMs)}, indexed ${seconds(result.indexMs)} later\n`,
  );
  // eslint-disable-next-line no-console -- the benchmark prints a table for people
  console.table([row('GET /api/v1/products?q=… via gateway', result.gateway), row('same query straight to Elasticsearch', result.direct)]);
  process.stdout.write(
    `gateway / direct throughput: ${(result.gateway.rps / result.direct.rps).toFixed(3)}   p99 gateway / direct: ${(result.gateway.p99 / Math.max(result.direct.p99, 1)).toFixed(1)}x\n`,
  );
}

async function main(): Promise<void> {
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
  const failed = results.some((r) => r.differences.length > 0 || r.gateway.non2xx + r.gateway.errors + r.direct.non2xx + r.direct.errors > 0);
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
