// `npm run bench`: GET /api/v1/users/me through the gateway (JWT check, rate limit, gRPC to the
// user service, Postgres) under autocannon, next to a plain Node HTTP server answering the same
// JSON body, measured in the same run on the same machine. The ratio is what our layers cost; the
// CPU each process spent per request says where it goes.
//
//   BENCH_DURATION=10  BENCH_CONNECTIONS=32  DATABASE_URL / KAFKA_BROKERS / REDIS_URL: the servers to use
//   BENCH_PROFILE=1 also profiles every service (node --cpu-prof) and prints the gateway's and the
//   user service's hottest code after the run.
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startPlatform, waitForReady } from '../scripts/platform/platform';
import { measure, profileSummaries, startBaseline } from './bench-kit';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PROFILE = process.env.BENCH_PROFILE === '1';
/** The bar: at least this share of the plain server's throughput, and at most this p99. */
const BAR = { ratio: 0.1, p99Ms: 20 };

async function main(): Promise<void> {
  const root = resolve(__dirname, '../..');
  const gatewayPort = await freePort();
  const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'shop-bench-profile-')) : undefined;
  if (profileDir) process.env.SHOP_SERVICE_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${profileDir}`;
  process.stdout.write('[bench] starting the platform (embedded default unless DATABASE_URL/KAFKA_BROKERS/REDIS_URL are set)…\n');
  const platform = await startPlatform({
    root,
    gatewayPort,
    databaseUrl: process.env.DATABASE_URL || undefined,
    databasePrefix: `bench_${Date.now().toString(36)}`,
    kafkaBrokers: process.env.KAFKA_BROKERS || undefined,
    redisUrl: process.env.REDIS_URL || undefined,
    temporaryData: true,
    output: (service, line) => {
      if (/"level":"(error|fatal)"|failed to start/.test(line)) process.stderr.write(`${service}: ${line}\n`);
    },
    supervise: false,
    log: () => undefined,
    env: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_IP: '100000000', RATE_LIMIT_PER_USER: '100000000' },
  });
  const pids = new Map([...platform.processes].map(([name, proc]) => [proc.child?.pid, name]));
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
    const plain = await measure(baseline.url, { connections: CONNECTIONS, seconds: DURATION_SECONDS });
    baseline.stop();
    const gateway = await measure(`${api}/users/me`, { headers, platform, connections: CONNECTIONS, seconds: DURATION_SECONDS });

    const ratio = gateway.rps / plain.rps;
    const met = ratio >= BAR.ratio && gateway.p99 <= BAR.p99Ms && gateway.failures === 0;
    process.stdout.write(`\n${CONNECTIONS} connections, ${DURATION_SECONDS} s each, loopback, ${cpus().length} cores\n`);
    // eslint-disable-next-line no-console -- the benchmark prints tables for people
    console.table([
      { target: 'plain Node HTTP, the same JSON', 'req/s': Math.round(plain.rps), 'p50 ms': plain.p50, 'p99 ms': plain.p99, failed: plain.failures },
      { target: 'GET /api/v1/users/me via gateway', 'req/s': Math.round(gateway.rps), 'p50 ms': gateway.p50, 'p99 ms': gateway.p99, failed: gateway.failures },
    ]);
    process.stdout.write(
      `gateway / plain throughput: ${ratio.toFixed(3)} (bar >= ${BAR.ratio}), gateway p99 ${gateway.p99} ms (bar <= ${BAR.p99Ms}): ${met ? 'met' : 'not met'}\n`,
    );
    process.stdout.write('CPU µs per request, by process (where the time goes):\n');
    // eslint-disable-next-line no-console -- as above
    console.table([Object.fromEntries(Object.entries(gateway.cpuMicros).map(([name, micros]) => [name, Math.round(micros)]))]);
    if (gateway.failures > 0) process.exitCode = 1;
  } finally {
    await platform.stop();
  }
  if (profileDir) process.stdout.write(profileSummaries(profileDir, pids, ['gateway', 'user'], 'users/me'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
