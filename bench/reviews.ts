// `npm run bench:reviews`: the reviews of one product with 10,000 reviews, sorted by helpful, read
// through the gateway at 16 connections, beside the same query straight to the review database.
//
//   BENCH_REVIEWS=10000  BENCH_CONNECTIONS=16  BENCH_SECONDS=10
//   MONGO_URL / DATABASE_URL: the servers to use (the embedded default otherwise: FerretDB here)
//
// Four figures: the gateway as shoppers meet it (the answer is kept by the gateway until
// review.summary_changed drops it), the gateway when every request asks for a page nobody asked
// for yet and that the first 100 reviews kept ready do not hold (deep pages of the helpful list,
// and pages of one rating: the review service answers each one, and the stages under the table
// say where its time went), and the database alone (the reads the review service makes for page
// 1, and the read page 11 would take from the reviews, from this process).
//
// On FerretDB v1.24 (the embedded default here) a sort is not pushed down to Postgres: a page read
// from the reviews fetches and sorts all of the product's reviews in FerretDB's process, so the
// fourth figure grows with the number of reviews; a real MongoDB walks the reviews_product_helpful
// index. The summary publisher keeps the first 100 reviews of every order ready with the summary
// (the third figure); other pages come from the product's published reviews the review service
// holds in memory, loaded once per summary (the second), while no announcement is owed for the product.
import { connectMongo } from '@shop/mongo';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { HIDDEN_FIELDS } from '../apps/review/src/store';
import { freePort, startPlatform } from '../scripts/platform/platform';
import { Random } from '../scripts/seed/random';
import { gatewayRouteStages, measure, percentile, type Stage, stageRows } from './bench-kit';

const REVIEWS = Number(process.env.BENCH_REVIEWS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BAR_P99_MS = 30;

/**
 * A list request's path, each stretch timed by a histogram of the service it runs in: the gateway's
 * answer holds its gRPC call, which holds the review service's handling, which answered from one of
 * three places (see ReviewsService.listForProduct); a wait for the product's reviews to load into
 * memory is part of a `held` answer.
 */
const LIST_STAGES: Stage[] = [
  ...gatewayRouteStages(
    { path: '/api/v1/products/:id/reviews', title: 'HTTP, validation, answer cache, JSON' },
    { service: 'review', method: 'listProductReviews', title: 'ListProductReviews' },
    ['review: from the first pages kept ready', 'review: from the reviews held in memory', 'review: from the database (sorted by FerretDB)'],
  ),
  { name: 'review: from the first pages kept ready', service: 'review', histogram: 'shop_review_list_seconds', labels: { source: 'first_pages' } },
  { name: 'review: from the reviews held in memory', service: 'review', histogram: 'shop_review_list_seconds', labels: { source: 'held' }, inner: ['review: loading the reviews into memory'] },
  { name: 'review: loading the reviews into memory', service: 'review', histogram: 'shop_review_lists_load_seconds', labels: {} },
  { name: 'review: from the database (sorted by FerretDB)', service: 'review', histogram: 'shop_review_list_seconds', labels: { source: 'database' } },
];

async function main(): Promise<void> {
  const root = resolve(__dirname, '../..');
  process.stdout.write('[bench] starting the platform…\n');
  const platform = await startPlatform({
    root,
    gatewayPort: await freePort(),
    databaseUrl: process.env.DATABASE_URL || undefined,
    databasePrefix: `bench_${Date.now().toString(36)}`,
    mongoUrl: process.env.MONGO_URL || undefined,
    temporaryData: true,
    output: (service, line) => {
      if (/"level":"(error|fatal)"/.test(line)) process.stderr.write(`${service}: ${line}\n`);
    },
    supervise: false,
    log: (message) => process.stdout.write(`[platform] ${message}\n`),
    env: { NODE_ENV: 'test', LOG_LEVEL: 'warn', BCRYPT_COST: '4', RATE_LIMIT_PER_IP: '100000000', RATE_LIMIT_PER_USER: '100000000', RATE_LIMIT_AUTH_PER_IP: '100000000' },
  });
  const mongo = await connectMongo(platform.processes.get('review')!.env.MONGO_URL!);
  try {
    const api = `${platform.gatewayUrl}/api/v1`;
    const login = await fetch(`${api}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: platform.adminEmail, password: platform.adminPassword }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const admin = { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` };
    const category = (await (await fetch(`${api}/admin/categories`, { method: 'POST', headers: admin, body: JSON.stringify({ name: `Bench ${Date.now()}` }) })).json()) as { id: string };
    const product = (await (
      await fetch(`${api}/admin/products`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ name: 'Much Reviewed Mug', description: 'x', categoryIds: [category.id], status: 'published', variants: [{ sku: `BENCH-${Date.now()}`, price: { amount: 999, currency: 'EUR' }, attributes: {} }] }),
      })
    ).json()) as { id: string };

    // The reviews as the review service writes them, straight into its database (10,000 verified
    // buyers would take checkouts), then the outbox entry a change leaves, so the service announces
    // the product's summary.
    const started = Date.now();
    const reviews = mongo.db.collection<{ _id: string } & Record<string, unknown>>('reviews');
    for (let offset = 0; offset < REVIEWS; offset += 1000) {
      const batch = Array.from({ length: Math.min(1000, REVIEWS - offset) }, (_, i) => {
        const n = offset + i;
        const at = new Date(Date.now() - n * 60_000);
        return {
          _id: randomUUID(), productId: product.id, userId: randomUUID(), authorName: `Shopper ${n}`, rating: 1 + (n % 5), title: `Review ${n}`,
          body: 'Holds a large coffee and keeps it hot for a while; the glaze is lovely.', verifiedPurchase: true, status: 'published', moderationReason: '',
          helpfulCount: (n * 7919) % 500, rev: 1, createdAt: at, updatedAt: at,
        };
      });
      await reviews.insertMany(batch, { ordered: false });
    }
    const outbox = mongo.db.collection<{ _id: string } & Record<string, unknown>>('summary_outbox');
    await outbox.insertOne({ _id: randomUUID(), productId: product.id, kind: 'change', createdAt: new Date() });
    process.stdout.write(`[bench] ${REVIEWS} reviews written in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for the summary…\n`);
    const path = `/api/v1/products/${product.id}/reviews?sort=helpful&limit=20`;
    const deadline = Date.now() + 300_000;
    for (;;) {
      const body = (await (await fetch(`${platform.gatewayUrl}${path}`)).json()) as { summary?: { count: number } };
      // Every review announced (nothing left pending): what a catalogue at rest looks like.
      if (body.summary?.count === REVIEWS && (await outbox.countDocuments({ productId: product.id })) === 0) break;
      if (Date.now() > deadline) throw new Error('the summary did not reach 10,000 reviews in 5 minutes');
      await new Promise((r) => setTimeout(r, 500));
    }

    const kept = await measure(`${platform.gatewayUrl}${path}`, { connections: CONNECTIONS, seconds: SECONDS, platform });
    // The review service's reads for one page, from here. Page 1: whether a summary is owed, then
    // the stored summary and the first reviews the publisher kept ready (nothing is owed here, a
    // catalogue at rest). A page past those: the reviews sorted by the database, and the summary.
    const firstPages = mongo.db.collection<{ _id: string; version: number; items: unknown[] }>('review_first_pages');
    const summaries = mongo.db.collection<{ _id: string; version: number }>('summaries');
    const readsPerSecond = async (read: () => Promise<void>) => {
      const latencies: number[] = [];
      const until = Date.now() + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (Date.now() < until) {
            const t0 = performance.now();
            await read();
            latencies.push(performance.now() - t0);
          }
        }),
      );
      return { rps: latencies.length / SECONDS, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
    };
    const database = await readsPerSecond(async () => {
      if (await outbox.findOne({ productId: product.id }, { projection: { _id: 1 } })) throw new Error('a summary is owed: the bench expects a catalogue at rest');
      const [summary, page] = await Promise.all([summaries.findOne({ _id: product.id }), firstPages.findOne({ _id: `${product.id}:helpful:0` })]);
      if (!summary || page?.version !== summary.version || page.items.length < 20) throw new Error('no first page of the summary\'s version kept');
    });
    const deep = await readsPerSecond(async () => {
      await Promise.all([
        reviews.find({ productId: product.id, status: 'published' }, { projection: HIDDEN_FIELDS }).sort({ helpfulCount: -1, createdAt: -1, _id: -1 }).skip(200).limit(20).toArray(),
        summaries.findOne({ _id: product.id }),
      ]);
    });

    // Then pages never asked before (the gateway keeps nothing for them), each request the next path.
    const listPath = (query: string) => `/api/v1/products/${product.id}/reviews?${query}`;
    const eachInTurn = (paths: string[]) => {
      let n = 0;
      return measure(`${platform.gatewayUrl}${path}`, { connections: CONNECTIONS, seconds: SECONDS, platform, nextPath: () => paths[n++ % paths.length]!, stages: LIST_STAGES });
    };
    // First the helpful list as a storefront pages it: 10 to 30 reviews a page, any page, each asked once.
    const browsed = shuffled(helpfulListPages(REVIEWS)).map(listPath);
    const browsing = await eachInTurn(browsed);
    // Last, the harder mix: none within the first 100 reviews the publisher keeps ready, deep pages
    // of the whole list and pages of one rating, 1 to 100 a page.
    const uncached = shuffled(uncachedPages(REVIEWS)).map(listPath);
    const fresh = await eachInTurn(uncached);

    const row = (name: string, f: { rps: number; p50: number; p99: number; failures?: number }) =>
      `| ${name} | ${f.rps.toFixed(0)} | ${f.p50.toFixed(1)} | ${f.p99.toFixed(1)} | ${f.failures ?? 0} |`;
    process.stdout.write(
      [
        '',
        `${REVIEWS} reviews of one product, sort=helpful, ${CONNECTIONS} connections, ${SECONDS} s each (MongoDB: ${process.env.MONGO_URL ? 'MONGO_URL' : 'the embedded default'})`,
        '',
        '| path | requests/s | p50 ms | p99 ms | failures |',
        '| --- | --- | --- | --- | --- |',
        row('gateway (kept until review.summary_changed)', kept),
        row(`gateway, the helpful list 10 to 30 a page, each page asked once (${Math.min(browsing.requests, browsed.length)} of ${browsed.length})`, browsing),
        row('gateway, a page nobody asked for yet (past the first 100, or one rating, 1 to 100 a page)', fresh),
        row('database alone, page 1 (outbox, then summary and first chunk kept ready)', database),
        row('database alone, page 11 (find sorted by the database + summary)', deep),
        '',
        `bar: p99 at most ${BAR_P99_MS} ms through the gateway: ${kept.p99 <= BAR_P99_MS && kept.failures === 0 ? 'met' : 'NOT met'} (${kept.p99} ms, as shoppers get it: kept by the gateway)`,
        `helpful list, no page kept by the gateway: p99 at most ${BAR_P99_MS} ms: ${browsing.p99 <= BAR_P99_MS && browsing.failures === 0 ? 'met' : 'NOT met'} (${browsing.p99} ms, ${browsing.failures} failures)`,
        fresh.failures > 0
          ? `uncached: ${fresh.failures} of the requests failed (the review service too slow for the gateway's deadline, then its circuit open): the database alone takes ${deep.p50.toFixed(0)} ms for a page past the first 100 at ${CONNECTIONS} at once, ${database.p50.toFixed(0)} ms for page 1`
          : `uncached (past the first 100, or one rating): p99 at most ${BAR_P99_MS} ms: ${fresh.p99 <= BAR_P99_MS ? 'met' : 'NOT met'} (${fresh.p99} ms, no failures)`,
        `CPU µs per request (kept): ${JSON.stringify(kept.cpuMicros)}`,
        `CPU µs per request (helpful list, not kept): ${JSON.stringify(browsing.cpuMicros)}`,
        `CPU µs per request (fresh): ${JSON.stringify(fresh.cpuMicros)}`,
        '',
        `Where a request of the helpful list not kept by the gateway went (${browsing.requests} requests):`,
      ].join('\n'),
    );
    // eslint-disable-next-line no-console -- the benchmark prints tables for people
    console.table(stageRows(browsing.stages));
    process.stdout.write(`Where a request of the harder mix went (${fresh.requests} requests, ${Math.min(fresh.requests, uncached.length)} distinct pages of ${uncached.length}):\n`);
    // eslint-disable-next-line no-console -- the benchmark prints tables for people
    console.table(stageRows(fresh.stages));
  } finally {
    await mongo.close();
    await platform.stop();
  }
}

/**
 * Every page of the helpful list that the first 100 reviews kept ready do not hold: pages past
 * them without a rating filter, and every page of one rating (1-5), at every size from 1 to 100
 * (the bench shuffles them so that sizes, depths and ratings mix). Only pages within the list (an
 * empty page past its end is cheaper to answer). Ratings are spread evenly by the bench's reviews
 * (`1 + n % 5`).
 */
function uncachedPages(reviews: number): string[] {
  const perRating = Math.floor(reviews / 5);
  const paths: string[] = [];
  for (let limit = 1; limit <= 100; limit += 1) {
    for (let page = Math.floor(100 / limit) + 1; (page - 1) * limit < reviews; page += 1) paths.push(`sort=helpful&limit=${limit}&page=${page}`);
    for (let rating = 1; rating <= 5; rating += 1) {
      for (let page = 1; (page - 1) * limit < perRating; page += 1) paths.push(`sort=helpful&rating=${rating}&limit=${limit}&page=${page}`);
    }
  }
  return paths;
}

/** Every page of the helpful list at 10 to 30 reviews a page, from page 1 to the last. */
function helpfulListPages(reviews: number): string[] {
  const paths: string[] = [];
  for (let limit = 10; limit <= 30; limit += 1) {
    for (let page = 1; (page - 1) * limit < reviews; page += 1) paths.push(`sort=helpful&limit=${limit}&page=${page}`);
  }
  return paths;
}

/** The paths in a fixed shuffled order, the same each run, so that sizes and depths mix. */
function shuffled(paths: string[]): string[] {
  return new Random(42).shuffle(paths);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
