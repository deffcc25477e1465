// `npm run bench`: GET /api/v1/users/me through the gateway (JWT check, rate limit, gRPC to the
// user service, Postgres) under autocannon, next to a plain Node HTTP server answering a fixed JSON
// body, measured in the same run on the same machine. The ratio is what our layers cost.
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { freePort, startPlatform, waitForReady } from '../scripts/platform/platform';
import { startBaseline } from './bench-kit';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(name: string, url: string, headers: Record<string, string> = {}): Promise<Figures> {
  // A short warm-up so JIT and connection pools are settled before measuring.
  await autocannon({ url, headers, connections: CONNECTIONS, duration: 2 });
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION_SECONDS });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function main(): Promise<void> {
  const root = resolve(__dirname, '../..');
  const gatewayPort = await freePort();
  process.stdout.write('[bench] starting the platform (embedded default unless DATABASE_URL/KAFKA_BROKERS/REDIS_URL are set)…\n');
  const platform = await startPlatform({
    root,
    gatewayPort,
    databaseUrl: process.env.DATABASE_URL || undefined,
    databasePrefix: `bench_${Date.now().toString(36)}`,
    kafkaBrokers: process.env.KAFKA_BROKERS || undefined,
    redisUrl: process.env.REDIS_URL || undefined,
    dataDir: mkdtempSync(join(tmpdir(), 'shop-bench-')),
    output: (service, line) => {
      if (/"level":"(error|fatal)"|failed to start/.test(line)) process.stderr.write(`${service}: ${line}\n`);
    },
    supervise: false,
    log: () => undefined,
    env: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_IP: '100000000', RATE_LIMIT_PER_USER: '100000000' },
  });
  try {
    const api = `${platform.gatewayUrl}/api/v1`;
    const email = `bench-${Date.now()}@example.com`;
    const post = (path: string, body: unknown) =>
      fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await post('/auth/register', { email, password: 'bench-password-1', name: 'Bench' });
    const { accessToken } = (await (await post('/auth/login', { email, password: 'bench-password-1' })).json()) as { accessToken: string };
    const headers = { authorization: `Bearer ${accessToken}` };
    let profile = '';
    for (let i = 0; i < 100 && !profile; i += 1) {
      const response = await fetch(`${api}/users/me`, { headers });
      if (response.ok) profile = await response.text();
      else await new Promise((r) => setTimeout(r, 100));
    }
    if (!profile) throw new Error('the profile never appeared');

    const baseline = await startBaseline(profile);
    await waitForReady(baseline.url, 5000);
    const plain = await load('plain Node HTTP, fixed JSON', baseline.url);
    baseline.stop();
    const gateway = await load('GET /api/v1/users/me via gateway', `${api}/users/me`, headers);

    const rows = [plain, gateway].map((f) => ({
      target: f.name,
      'req/s': Math.round(f.rps),
      'p50 ms': f.p50,
      'p99 ms': f.p99,
      'non-2xx': f.non2xx,
      errors: f.errors,
    }));
    process.stdout.write(`\n${CONNECTIONS} connections, ${DURATION_SECONDS} s each, loopback, ${cpus().length} cores\n`);
    // eslint-disable-next-line no-console -- the benchmark prints a table for people
    console.table(rows);
    process.stdout.write(
      `gateway / plain throughput: ${(gateway.rps / plain.rps).toFixed(3)}   p99 gateway / plain: ${(gateway.p99 / Math.max(plain.p99, 1)).toFixed(1)}x\n`,
    );
    if (gateway.non2xx > 0 || gateway.errors > 0) process.exitCode = 1;
  } finally {
    await platform.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
