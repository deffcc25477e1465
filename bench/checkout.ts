// `npm run bench:checkout`: checkout throughput (orders per second reaching CONFIRMED) and the
// latency from POST /orders to CONFIRMED (p50, p99), under concurrent shoppers through the gateway,
// once on the embedded default (Postgres event log) and once on Kafka. The test payment provider
// completes each payment at once, so the figures are the platform's own: saga, events, services.
import { Agent, request as httpRequest } from 'node:http';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { inventoryV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { ensureTestInfra } from '@shop/testing';
import { freePort, type Platform, startPlatform } from '../scripts/platform/platform';
import { Client } from 'pg';
import { callsByService, cpuByProcess, overLocalSocket, percentile } from './bench-kit';
import { dropDatabases } from './search-infra';

const SHOPPERS = Number(process.env.BENCH_SHOPPERS ?? 40);
const ORDERS_PER_SHOPPER = Number(process.env.BENCH_ORDERS_PER_SHOPPER ?? 5);
const WARM_UP_ORDERS = 5;
const ROOT = resolve(__dirname, '../..');

/** What a shopper waited for, in ms: each request, and the whole round from adding to the cart to seeing CONFIRMED. */
interface ShopperTimes {
  cart: number[];
  order: number[];
  poll: number[];
  round: number[];
}

async function timed<T>(into: number[], call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await call();
  into.push(performance.now() - started);
  return result;
}

interface Result {
  requestsMs: ShopperTimes;
  /** Requests each service served while the orders ran: gateway routes and gRPC methods. */
  calls: Record<string, number>;
  /** CPU seconds each process spent while the orders ran (Postgres: all its processes together). */
  cpuSeconds: Record<string, number>;
  /** Transactions and rows each service's database saw while the orders ran. */
  database: Record<string, DatabaseActivity>;
  mode: string;
  orders: number;
  confirmed: number;
  seconds: number;
  latenciesMs: number[];
  stages: StageTimes[];
}

/** Where one order's time went, from the services' own clocks (one Postgres server): ms since it was placed. */
interface StageTimes {
  reserved: number;
  paymentCreated: number;
  confirmed: number;
}

/** From pg_stat_database: every statement outside a transaction block counts as one transaction. */
interface DatabaseActivity {
  transactions: number;
  rowsWritten: number;
  rowsRead: number;
}

/** Each service database's counters now (the platform's own server, embedded or shared). */
async function databaseActivity(platform: Platform): Promise<Record<string, DatabaseActivity>> {
  const byUrl = Object.entries(platform.databaseUrls);
  if (byUrl.length === 0) return {};
  // The server's own database: a service's may not exist (no event log on Kafka).
  const server = new URL(byUrl[0]![1]);
  server.pathname = '/postgres';
  const client = new Client({ connectionString: server.toString() });
  await client.connect();
  try {
    // The counters are flushed to the view at most once a second (and at the end of a transaction).
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ datname: string; xact: string; written: string; read: string }>(
      `SELECT datname, (xact_commit + xact_rollback)::text AS xact, (tup_inserted + tup_updated + tup_deleted)::text AS written, tup_fetched::text AS read
         FROM pg_stat_database WHERE datname = ANY($1)`,
      [byUrl.map(([, url]) => new URL(url).pathname.slice(1))],
    );
    const byName = new Map(rows.map((row) => [row.datname, row]));
    return Object.fromEntries(
      byUrl.map(([service, url]) => {
        const row = byName.get(new URL(url).pathname.slice(1));
        return [service, { transactions: Number(row?.xact ?? 0), rowsWritten: Number(row?.written ?? 0), rowsRead: Number(row?.read ?? 0) }];
      }),
    );
  } finally {
    await client.end();
  }
}

const MODES = (process.env.BENCH_MODES ?? 'embedded,kafka').split(',').map((mode) => mode.trim());


/**
 * The shoppers' HTTP client: plain node:http over kept-alive connections. The shoppers share the
 * machine with the platform they measure, and fetch() costs them about twice the CPU per request.
 */
const shopperAgent = new Agent({ keepAlive: true, maxSockets: 256 });

function api(platform: Platform, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; ip?: string } = {}) {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise<ReturnType<typeof JSON.parse>>((resolve, reject) => {
    const req = httpRequest(
      `${platform.gatewayUrl}/api/v1${path}`,
      {
        method,
        agent: shopperAgent,
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': options.ip ?? '198.51.100.1',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) reject(new Error(`${method} ${path}: ${status} ${text.slice(0, 200)}`));
          else resolve(text ? JSON.parse(text) : undefined);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(mode: string, options: { kafkaBrokers?: string; databaseUrl?: string }): Promise<Result> {
  const platform = await startPlatform({
    root: ROOT,
    gatewayPort: await freePort(),
    databaseUrl: options.databaseUrl,
    databasePrefix: `bench_co_${Date.now().toString(36)}`,
    kafkaBrokers: options.kafkaBrokers,
    temporaryData: true,
    output: (service, line) => {
      if (/failed to start|"level":"(error|fatal)"/.test(line)) process.stderr.write(`${service}: ${line.slice(0, 500)}\n`);
    },
    supervise: false,
    log: () => undefined,
    env: {
      LOG_LEVEL: 'warn',
      // Registering the shoppers is set-up, not what is measured: cheap password hashing.
      NODE_ENV: 'test',
      BCRYPT_COST: '4',
      TRUST_PROXY: 'true',
      RATE_LIMIT_PER_IP: '100000000',
      RATE_LIMIT_PER_USER: '100000000',
      RATE_LIMIT_AUTH_PER_IP: '100000000',
      PAYMENT_TEST_AUTO_COMPLETE: 'true',
      EVENT_GROUP_PREFIX: `bench-${Date.now().toString(36)}.`,
      EVENT_TOPIC_PREFIX: `bench-${Date.now().toString(36)}.`,
    },
  });
  try {
    const admin = await api(platform, 'POST', '/auth/login', { body: { email: platform.adminEmail, password: platform.adminPassword } });
    const sku = `BENCH-${Date.now().toString(36)}`.toUpperCase();
    await api(platform, 'POST', '/admin/products', {
      token: admin.accessToken,
      body: { name: 'Benchmark Mug', description: '', categoryIds: [], status: 'published', variants: [{ sku, price: { amount: 999, currency: 'EUR' }, attributes: {} }] },
    });
    await api(platform, 'PUT', `/admin/inventory/${sku}`, { token: admin.accessToken, body: { onHand: 1_000_000 } });
    const shoppers = await Promise.all(
      Array.from({ length: SHOPPERS }, async (_, i) => {
        const email = `bench-${i}-${Date.now()}@example.com`;
        const ip = `10.1.${i % 250}.${Math.floor(i / 250) + 1}`;
        await api(platform, 'POST', '/auth/register', { body: { email, password: 'bench-password-1' }, ip });
        return { ip, token: (await api(platform, 'POST', '/auth/login', { body: { email, password: 'bench-password-1' }, ip })).accessToken as string };
      }),
    );
    type Shopper = (typeof shoppers)[number];
    type PlacedOrder = { id: string; status: string; history: Array<{ status: string; at: string }> };
    /** One shopper's round: add to the cart, place the order, poll until it is CONFIRMED or CANCELLED; each request timed into `times`. */
    const shopOnce = async (shopper: Shopper, key: string, times: ShopperTimes): Promise<{ order: PlacedOrder; placedAt: number }> => {
      await timed(times.cart, () => api(platform, 'POST', '/cart/items', { token: shopper.token, body: { sku, quantity: 1 }, ip: shopper.ip }));
      const placedAt = performance.now();
      const { id } = await timed(times.order, () =>
        api(platform, 'POST', '/orders', {
          token: shopper.token,
          ip: shopper.ip,
          headers: { 'idempotency-key': key },
          body: { shippingAddress: { line1: '1 Bench Road', city: 'Leeds', postalCode: 'LS1', country: 'GB' } },
        }),
      );
      for (;;) {
        const order: PlacedOrder = await timed(times.poll, () => api(platform, 'GET', `/orders/${id}`, { token: shopper.token, ip: shopper.ip }));
        if (order.status === 'CONFIRMED' || order.status === 'CANCELLED') return { order, placedAt };
        // Polling is what a client would do; every 100 ms keeps it from loading the machine it measures.
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    // A few orders first, not measured: the topics and consumer groups of a fresh run exist (on Kafka
    // their creation and first rebalances take seconds), as on any platform that has taken orders before.
    await Promise.all(
      shoppers.slice(0, WARM_UP_ORDERS).map(async (shopper, s) => {
        const unmeasured: ShopperTimes = { cart: [], order: [], poll: [], round: [] };
        const { order } = await Promise.race([
          shopOnce(shopper, `bench-warm-up-${s}-${Date.now()}`, unmeasured),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('a warm-up order was not confirmed within 60 s')), 60_000).unref()),
        ]);
        if (order.status !== 'CONFIRMED') throw new Error(`warm-up order ${order.id} ended ${order.status}`);
      }),
    );
    const latenciesMs: number[] = [];
    const confirmedOrders: PlacedOrder[] = [];
    let confirmed = 0;
    const requestsMs: ShopperTimes = { cart: [], order: [], poll: [], round: [] };
    const databaseBefore = await databaseActivity(platform);
    const cpuBefore = cpuByProcess(platform);
    const callsBefore = await callsByService(platform);
    const started = performance.now();
    await Promise.all(
      shoppers.map(async (shopper, s) => {
        for (let n = 0; n < ORDERS_PER_SHOPPER; n += 1) {
          const roundStarted = performance.now();
          const { order, placedAt } = await shopOnce(shopper, `bench-${s}-${n}-${Date.now()}`, requestsMs);
          if (order.status !== 'CONFIRMED') continue;
          confirmed += 1;
          latenciesMs.push(performance.now() - placedAt);
          confirmedOrders.push(order);
          requestsMs.round.push(performance.now() - roundStarted);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuByProcess(platform);
    const callsAfter = await callsByService(platform);
    const calls = Object.fromEntries(Object.entries(callsAfter).map(([name, after]) => [name, after - (callsBefore[name] ?? 0)]));
    const cpuSeconds = Object.fromEntries(Object.entries(cpuAfter).map(([name, after]) => [name, after - (cpuBefore[name] ?? 0)]));
    const stages = await stageTimes(platform, confirmedOrders);
    // What the last events of the run (mail, reviews' purchases) did lands within a second or two.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const databaseAfter = await databaseActivity(platform);
    const database = Object.fromEntries(
      Object.entries(databaseAfter).map(([service, after]) => {
        const before = databaseBefore[service] ?? { transactions: 0, rowsWritten: 0, rowsRead: 0 };
        return [service, { transactions: after.transactions - before.transactions, rowsWritten: after.rowsWritten - before.rowsWritten, rowsRead: after.rowsRead - before.rowsRead }];
      }),
    );
    return { mode, orders: SHOPPERS * ORDERS_PER_SHOPPER, confirmed, seconds, latenciesMs, stages, cpuSeconds, calls, requestsMs, database };
  } finally {
    await platform.stop();
    // Databases on the shared test server go with the run (the embedded one goes with its data directory).
    if (options.databaseUrl) await dropDatabases(Object.values(platform.databaseUrls));
  }
}

/** Each order's stages: reserved (the reservation row), payment created (AWAITING_PAYMENT) and CONFIRMED, after PENDING. */
async function stageTimes(platform: Platform, orders: Array<{ id: string; history: Array<{ status: string; at: string }> }>): Promise<StageTimes[]> {
  const inventory = new GrpcDownstream('inventory', inventoryV1.InventoryServiceService, {
    target: `127.0.0.1:${platform.processes.get('inventory')!.grpcPort}`,
    deadlineMs: 10_000,
    breaker: { failureThreshold: 1000, openMs: 1000 },
  });
  try {
    return await Promise.all(
      orders.map(async (order) => {
        const at = (status: string) => Date.parse(order.history.find((entry) => entry.status === status)?.at ?? '');
        const placed = at('PENDING');
        const reservation = await inventory.call('getReservation', { orderId: order.id });
        return { reserved: Date.parse(reservation.createdAt) - placed, paymentCreated: at('AWAITING_PAYMENT') - placed, confirmed: at('CONFIRMED') - placed };
      }),
    );
  } finally {
    inventory.close();
  }
}

async function main(): Promise<void> {
  const infra = ensureTestInfra();
  const results: Result[] = [];
  if (MODES.includes('embedded')) results.push(await run('embedded (Postgres event log)', {}));
  if (MODES.includes('kafka')) results.push(await run('Kafka', { kafkaBrokers: infra.kafkaBrokers, databaseUrl: overLocalSocket(infra.postgresUrl) }));
  process.stdout.write(`\n${SHOPPERS} concurrent shoppers x ${ORDERS_PER_SHOPPER} orders, ${cpus().length} cores, test payment provider completing at once\n`);
  // eslint-disable-next-line no-console -- the benchmark prints a table for people
  console.table(
    results.map((r) => ({
      events: r.mode,
      orders: r.orders,
      confirmed: r.confirmed,
      'confirmed/s': Number((r.confirmed / r.seconds).toFixed(1)),
      'p50 ms (POST to CONFIRMED)': Math.round(percentile(r.latenciesMs, 50)),
      'p99 ms': Math.round(percentile(r.latenciesMs, 99)),
    })),
  );
  process.stdout.write('\nWhere the time goes: p50 / p99 ms after the order was placed (PENDING), from the services\' own timestamps\n');
  // eslint-disable-next-line no-console -- the benchmark prints a table for people
  console.table(
    results.map((r) => ({
      events: r.mode,
      'stock reserved': `${Math.round(percentile(r.stages.map((s) => s.reserved), 50))} / ${Math.round(percentile(r.stages.map((s) => s.reserved), 99))}`,
      'payment created (AWAITING_PAYMENT)': `${Math.round(percentile(r.stages.map((s) => s.paymentCreated), 50))} / ${Math.round(percentile(r.stages.map((s) => s.paymentCreated), 99))}`,
      CONFIRMED: `${Math.round(percentile(r.stages.map((s) => s.confirmed), 50))} / ${Math.round(percentile(r.stages.map((s) => s.confirmed), 99))}`,
    })),
  );
  process.stdout.write('\nWhat a shopper waited for: p50 / p99 ms of each request, and of a whole round (cart, order, polls until CONFIRMED)\n');
  const p50p99 = (values: number[]) => `${Math.round(percentile(values, 50))} / ${Math.round(percentile(values, 99))}`;
  // eslint-disable-next-line no-console -- the benchmark prints a table for people
  console.table(
    results.map((r) => ({
      events: r.mode,
      'POST /cart/items': p50p99(r.requestsMs.cart),
      'POST /orders': p50p99(r.requestsMs.order),
      'GET /orders/:id': p50p99(r.requestsMs.poll),
      round: p50p99(r.requestsMs.round),
    })),
  );
  process.stdout.write('\nCPU per confirmed order (ms), by process, while the orders ran\n');
  // eslint-disable-next-line no-console -- the benchmark prints a table for people
  console.table(
    Object.fromEntries(
      results.map((r) => [
        r.mode,
        Object.fromEntries(
          Object.entries(r.cpuSeconds)
            .sort((a, b) => b[1] - a[1])
            .map(([name, seconds]) => [name, Math.round((seconds * 1000) / Math.max(1, r.confirmed))]),
        ),
      ]),
    ),
  );
  process.stdout.write('\nPostgres per confirmed order, by database: transactions (a statement outside one counts as one) / rows written / rows read\n');
  // eslint-disable-next-line no-console -- the benchmark prints a table for people
  console.table(
    Object.fromEntries(
      results.map((r) => [
        r.mode,
        Object.fromEntries(
          Object.entries(r.database)
            .filter(([, activity]) => activity.transactions > 0)
            .sort((a, b) => b[1].transactions - a[1].transactions)
            .map(([service, activity]) => {
              const per = (value: number) => (value / Math.max(1, r.confirmed)).toFixed(1);
              return [service, `${per(activity.transactions)} / ${per(activity.rowsWritten)} / ${per(activity.rowsRead)}`];
            }),
        ),
      ]),
    ),
  );
  for (const r of results) {
    process.stdout.write(`\nRequests per confirmed order (${r.mode}): gateway routes and the gRPC methods behind them\n`);
    // eslint-disable-next-line no-console -- the benchmark prints a table for people
    console.table(
      Object.entries(r.calls)
        .filter(([, count]) => count > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([call, count]) => ({ call, 'per order': Number((count / Math.max(1, r.confirmed)).toFixed(2)) })),
    );
  }
  if (results.some((r) => r.confirmed !== r.orders)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
