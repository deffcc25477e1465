// `npm run bench:checkout`: checkout throughput (orders per second reaching CONFIRMED) and the
// latency from POST /orders to CONFIRMED (p50, p99), under concurrent shoppers through the gateway,
// once on the embedded default (Postgres event log) and once on Kafka. The test payment provider
// completes each payment at once, so the figures are the platform's own: saga, events, services.
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureTestInfra } from '@shop/testing';
import { freePort, type Platform, startPlatform } from '../scripts/platform/platform';

const SHOPPERS = Number(process.env.BENCH_SHOPPERS ?? 40);
const ORDERS_PER_SHOPPER = Number(process.env.BENCH_ORDERS_PER_SHOPPER ?? 5);
const ROOT = resolve(__dirname, '../..');

interface Result {
  mode: string;
  orders: number;
  confirmed: number;
  seconds: number;
  latenciesMs: number[];
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

async function api(platform: Platform, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; ip?: string } = {}) {
  const response = await fetch(`${platform.gatewayUrl}/api/v1${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': options.ip ?? '198.51.100.1',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

async function run(mode: string, options: { kafkaBrokers?: string; databaseUrl?: string }): Promise<Result> {
  const platform = await startPlatform({
    root: ROOT,
    gatewayPort: await freePort(),
    databaseUrl: options.databaseUrl,
    databasePrefix: `bench_co_${Date.now().toString(36)}`,
    kafkaBrokers: options.kafkaBrokers,
    dataDir: mkdtempSync(join(tmpdir(), 'shop-bench-checkout-')),
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
    const latenciesMs: number[] = [];
    let confirmed = 0;
    const started = performance.now();
    await Promise.all(
      shoppers.map(async (shopper, s) => {
        for (let n = 0; n < ORDERS_PER_SHOPPER; n += 1) {
          await api(platform, 'POST', '/cart/items', { token: shopper.token, body: { sku, quantity: 1 }, ip: shopper.ip });
          const placedAt = performance.now();
          const { id } = await api(platform, 'POST', '/orders', {
            token: shopper.token,
            ip: shopper.ip,
            headers: { 'idempotency-key': `bench-${s}-${n}-${Date.now()}` },
            body: { shippingAddress: { line1: '1 Bench Road', city: 'Leeds', postalCode: 'LS1', country: 'GB' } },
          });
          for (;;) {
            const order = await api(platform, 'GET', `/orders/${id}`, { token: shopper.token, ip: shopper.ip });
            if (order.status === 'CONFIRMED') {
              confirmed += 1;
              latenciesMs.push(performance.now() - placedAt);
              break;
            }
            if (order.status === 'CANCELLED') break;
            // Polling is what a client would do; every 100 ms keeps it from loading the machine it measures.
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      }),
    );
    return { mode, orders: SHOPPERS * ORDERS_PER_SHOPPER, confirmed, seconds: (performance.now() - started) / 1000, latenciesMs };
  } finally {
    await platform.stop();
  }
}

async function main(): Promise<void> {
  const infra = ensureTestInfra();
  const results = [await run('embedded (Postgres event log)', {}), await run('Kafka', { kafkaBrokers: infra.kafkaBrokers, databaseUrl: infra.postgresUrl })];
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
  if (results.some((r) => r.confirmed !== r.orders)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
