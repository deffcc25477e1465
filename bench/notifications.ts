// `npm run bench:notifications`: 1,000 shoppers hold a notification stream open on one gateway
// (GET /api/v1/notifications/stream, Server-Sent Events), then a burst of 1,000 notifications is
// made at once (the bench plays the order service: one order.shipped event per shopper, published
// together). It prints how long each notification took to reach its stream and how much memory the
// gateway holds per open stream.
//
//   BENCH_STREAMS=1000   shoppers, each with one stream, and notifications in the burst
//   DATABASE_URL / KAFKA_BROKERS: the servers to use (the embedded default otherwise)
//
// Delivery latency is measured from the notification's creation (its createdAt, written in the
// notification service's transaction) to its arrival on the stream: outbox, relay, event bus, the
// gateway's broadcast consumer and the SSE write. The time from the burst's events being published
// (before the notification service has read them, looked up 1,000 profiles and written 1,000
// notifications and 1,000 mails) is printed beside it.
import { createEventBus } from '@shop/messaging';
import { createEvent, topicOf } from '@shop/contracts';
import { createLogger } from '@shop/observability';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { freePort, type Platform, startPlatform } from '../scripts/platform/platform';
import { cpuByProcess, percentile } from './bench-kit';
import { openSse, type SseStream } from './sse-client';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 1000);
/** The bar: p99 delivery at most this, at most this much gateway memory per open stream. */
const BAR = { p99Ms: 500, bytesPerStream: 50 * 1024 };
const PASSWORD = 'bench-password-1';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` on every item, `concurrency` at a time. */
async function eachLimited<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

/** Resident memory of a process, from /proc (Linux). */
function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((candidate) => candidate.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
}

async function metric(platform: Platform, service: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${platform.processes.get(service)!.httpPort}/metrics`)).text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  return text
    .split('\n')
    .filter((line) => (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) && wanted.every((label) => line.includes(label)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

async function until(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

interface Shopper {
  userId: string;
  token: string;
}

async function main(): Promise<void> {
  const root = resolve(__dirname, '../..');
  process.stdout.write(`[bench] starting the platform (embedded default unless DATABASE_URL/KAFKA_BROKERS are set)…\n`);
  const platform = await startPlatform({
    root,
    gatewayPort: await freePort(),
    databaseUrl: process.env.DATABASE_URL || undefined,
    databasePrefix: `bench_${Date.now().toString(36)}`,
    kafkaBrokers: process.env.KAFKA_BROKERS || undefined,
    temporaryData: true,
    output: (service, line) => {
      if (/"level":"(error|fatal)"|failed to start/.test(line)) process.stderr.write(`${service}: ${line}\n`);
    },
    supervise: false,
    log: () => undefined,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      BCRYPT_COST: '4',
      RATE_LIMIT_PER_IP: '100000000',
      RATE_LIMIT_PER_USER: '100000000',
      RATE_LIMIT_AUTH_PER_IP: '100000000',
    },
  });
  const streams: SseStream[] = [];
  try {
    const api = `${platform.gatewayUrl}/api/v1`;
    const gatewayPid = platform.processes.get('gateway')!.child!.pid!;
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
      return response.json() as Promise<Record<string, unknown>>;
    };

    const started = Date.now();
    const run = Date.now().toString(36);
    const shoppers: Shopper[] = new Array(STREAMS);
    await eachLimited(Array.from({ length: STREAMS }, (_, i) => i), 16, async (i) => {
      const email = `bench-${run}-${i}@example.com`;
      const { id } = await post('/auth/register', { email, password: PASSWORD, name: `Shopper ${i}` });
      const { accessToken } = await post('/auth/login', { email, password: PASSWORD });
      shoppers[i] = { userId: String(id), token: String(accessToken) };
    });
    process.stdout.write(`[bench] ${STREAMS} shoppers registered in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for their profiles and welcomes…\n`);
    // Their welcome notifications are made before the streams open: the burst is the only traffic measured.
    await until('welcome notifications', 180_000, async () => (await metric(platform, 'notification', 'shop_notifications_sent_total', { channel: 'in_app', type: 'account.welcome' })) >= STREAMS);
    await eachLimited(shoppers, 16, async (shopper) => {
      await until(`profile of ${shopper.userId}`, 60_000, async () => (await fetch(`${api}/users/me`, { headers: { authorization: `Bearer ${shopper.token}` } })).ok);
    });
    await until('mails of the welcomes', 180_000, async () => (await metric(platform, 'notification', 'shop_notifications_sent_total', { channel: 'email', type: 'account.welcome' })) >= STREAMS);

    // Warm-up: streams opened and closed, so the gateway's code and pools are warm before measuring.
    const warm = await Promise.all(shoppers.slice(0, 50).map((shopper) => openSse(`${api}/notifications/stream`, { token: shopper.token })));
    for (const stream of warm) stream.close();
    await sleep(2000);

    const rssBefore = rssOf(gatewayPid);
    const heapBefore = await metric(platform, 'gateway', 'nodejs_heap_size_used_bytes');
    const openStarted = Date.now();
    await eachLimited(shoppers, 50, async (shopper, index) => {
      streams[index] = await openSse(`${api}/notifications/stream`, { token: shopper.token });
    });
    const openMs = Date.now() - openStarted;
    await until('every stream counted by the gateway', 30_000, async () => (await metric(platform, 'gateway', 'shop_gateway_notification_streams')) >= STREAMS);
    await sleep(3000);
    const rssOpen = rssOf(gatewayPid);
    const heapOpen = await metric(platform, 'gateway', 'nodejs_heap_size_used_bytes');
    const bytesPerStream = (rssOpen - rssBefore) / STREAMS;

    // The burst: one order.shipped per shopper, published together, as the order service's relay would.
    const received: Array<{ fromCreated: number; fromPublished: number }> = [];
    let publishedAt = 0;
    const allReceived = new Promise<void>((done) => {
      streams.forEach((stream) => {
        stream.onEvent = (event) => {
          if (event.event !== 'notification') return;
          const arrived = performance.timeOrigin + event.receivedAt;
          const item = JSON.parse(event.data) as { createdAt: string; type: string };
          if (item.type !== 'order.shipped') return;
          received.push({ fromCreated: arrived - Date.parse(item.createdAt), fromPublished: arrived - publishedAt });
          if (received.length === STREAMS) done();
        };
      });
    });
    const bus = createEventBus(
      { KAFKA_BROKERS: process.env.KAFKA_BROKERS ? process.env.KAFKA_BROKERS.split(',') : [], EVENTS_DATABASE_URL: platform.databaseUrls.events },
      'bench-notifications',
      createLogger('bench', 'warn'),
    );
    const events = shoppers.map((shopper) => {
      const orderId = randomUUID();
      return createEvent('order.shipped', orderId, { orderId, userId: shopper.userId, total: { amount: 4999, currency: 'EUR' } });
    });
    const cpuBefore = cpuByProcess(platform);
    publishedAt = Date.now();
    await bus.publish(events.map((event) => ({ topic: topicOf(event.type), key: event.aggregateId, value: JSON.stringify(event), headers: {} })));
    const timedOut = await Promise.race([allReceived.then(() => false), sleep(120_000).then(() => true)]);
    const burstMs = Date.now() - publishedAt;
    const cpuAfter = cpuByProcess(platform);
    await bus.close();
    const rssAfter = rssOf(gatewayPid);

    const created = received.map((entry) => entry.fromCreated);
    const published = received.map((entry) => entry.fromPublished);
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    process.stdout.write(`\n${STREAMS} streams on one gateway, burst of ${STREAMS} notifications, ${platform.processes.has('gateway') && process.env.KAFKA_BROKERS ? 'Kafka' : 'Postgres event log'}, ${cpus().length} cores\n`);
    process.stdout.write(`streams opened in ${(openMs / 1000).toFixed(1)} s; ${received.length} of ${STREAMS} notifications arrived${timedOut ? ' (gave up after 120 s)' : ''}, the last ${burstMs} ms after the burst was published\n`);
    // eslint-disable-next-line no-console -- the benchmark prints tables for people
    console.table([
      { 'delivery latency': 'notification made → on its stream', 'p50 ms': Math.round(percentile(created, 50)), 'p99 ms': Math.round(percentile(created, 99)), 'max ms': Math.round(Math.max(...created)) },
      { 'delivery latency': 'burst published → on its stream', 'p50 ms': Math.round(percentile(published, 50)), 'p99 ms': Math.round(percentile(published, 99)), 'max ms': Math.round(Math.max(...published)) },
    ]);
    // eslint-disable-next-line no-console -- as above
    console.table([
      { gateway: 'before opening (warm)', rss: mb(rssBefore), 'heap used': mb(heapBefore) },
      { gateway: `${STREAMS} streams open`, rss: mb(rssOpen), 'heap used': mb(heapOpen) },
      { gateway: 'after the burst', rss: mb(rssAfter), 'heap used': '' },
    ]);
    process.stdout.write(
      `gateway memory per open stream: ${(bytesPerStream / 1024).toFixed(1)} KB resident (heap ${((heapOpen - heapBefore) / STREAMS / 1024).toFixed(1)} KB)\n`,
    );
    process.stdout.write('CPU ms spent on the burst, by process:\n');
    // eslint-disable-next-line no-console -- as above
    console.table([Object.fromEntries(Object.entries(cpuAfter).map(([name, seconds]) => [name, Math.round((seconds - (cpuBefore[name] ?? 0)) * 1000)]).filter(([, ms]) => Number(ms) > 0))]);
    const p99 = percentile(created, 99);
    const met = !timedOut && p99 <= BAR.p99Ms && bytesPerStream <= BAR.bytesPerStream;
    process.stdout.write(
      `bar: p99 delivery ${Math.round(p99)} ms (<= ${BAR.p99Ms}), ${(bytesPerStream / 1024).toFixed(1)} KB per stream (<= ${BAR.bytesPerStream / 1024}): ${met ? 'met' : 'not met'}\n`,
    );
    if (timedOut) process.exitCode = 1;
  } finally {
    for (const stream of streams) stream?.close();
    await platform.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
