// `npm run bench:footprint`: what `npm start` costs a laptop. It runs `npm start`'s own script twice
// on one fresh data directory (a first start that loads the demo catalogue, then a start with the
// data present), times each from launch to the gateway answering /health/ready, lets the platform
// idle, and prints each service's resident memory (RSS, from /proc) and V8 heap (its /metrics).
//
//   node dist/bench/footprint.js      BENCH_IDLE_SECONDS=30 BENCH_FIRST_START=true
//   BENCH_DATA_DIR=/tmp/shop-data BENCH_FIRST_START=false node dist/bench/footprint.js
//     reuses (and keeps) a data directory an earlier run left, for repeated starts with data present
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../scripts/platform/platform';

const ROOT = resolve(__dirname, '../..');
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const FIRST_START = process.env.BENCH_FIRST_START !== 'false';
const READY_TIMEOUT_MS = 300_000;
const MB = 1024 * 1024;

interface ServiceFootprint {
  service: string;
  pid: number;
  rssMb: number;
  heapUsedMb?: number;
  heapTotalMb?: number;
}

interface StartFigures {
  label: string;
  readySeconds: number;
  services: ServiceFootprint[];
}

const log = (message: string) => process.stdout.write(`[bench] ${message}\n`);

/** Every process below `root` (children, grandchildren…), from /proc. */
function descendants(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of parents.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** The services among them: node processes running dist/apps/<name>/src/main.js, with the HTTP port of their /metrics. */
function services(root: number, gatewayPort: number): Array<{ service: string; pid: number; httpPort?: number }> {
  return descendants(root).flatMap((pid) => {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const main = command.find((part) => /dist\/apps\/[^/]+\/src\/main\.js$/.test(part));
      if (!main) return [];
      const service = /dist\/apps\/([^/]+)\//.exec(main)![1]!;
      const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const port = environment.find((line) => line.startsWith('HTTP_PORT=') || (service === 'gateway' && line.startsWith('PORT=')));
      return [{ service, pid, httpPort: port ? Number(port.split('=')[1]) : service === 'gateway' ? gatewayPort : undefined }];
    } catch {
      return [];
    }
  });
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((each) => each.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
}

async function heapMb(port: number | undefined): Promise<{ used?: number; total?: number }> {
  if (!port) return {};
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    const value = (name: string) => {
      const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
      return match ? Number(match[1]) / MB : undefined;
    };
    return { used: value('nodejs_heap_size_used_bytes'), total: value('nodejs_heap_size_total_bytes') };
  } catch {
    return {};
  }
}

async function waitUntilReady(child: ChildProcess, port: number, started: number): Promise<number> {
  let readyYet = false;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => {
      if (!readyYet) reject(new Error(`npm start exited (${code}) before it was ready`));
    }),
  );
  const ready = (async () => {
    while (performance.now() - started < READY_TIMEOUT_MS) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(1000) });
        if (response.ok) {
          readyYet = true;
          return (performance.now() - started) / 1000;
        }
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`not ready within ${READY_TIMEOUT_MS / 1000} s`);
  })();
  return Promise.race([ready, exited]);
}

/** `npm start`'s script (already built), on `dataDir`: seconds until the gateway is ready and the demo catalogue loaded. */
async function startOnce(label: string, dataDir: string): Promise<StartFigures> {
  const port = await freePort();
  const started = performance.now();
  let output = '';
  const child = spawn(process.execPath, ['--enable-source-maps', join(ROOT, 'dist/scripts/start.js')], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '', KAFKA_BROKERS: '', REDIS_URL: '', ELASTICSEARCH_URL: '', SMTP_URL: '', MONGO_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // npm start prints its banner once the demo catalogue is in: that, not the first health answer, is "ready".
  const bannered = new Promise<number>((resolveBanner) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Gateway listening on')) resolveBanner((performance.now() - started) / 1000);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
  try {
    await waitUntilReady(child, port, started);
    const readySeconds = await Promise.race([
      bannered,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no banner within ${READY_TIMEOUT_MS / 1000} s:\n${output.slice(-2000)}`)), READY_TIMEOUT_MS)),
    ]);
    log(`${label}: ready in ${readySeconds.toFixed(1)} s; idling ${IDLE_SECONDS} s`);
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const figures = await Promise.all(
      services(child.pid!, port).map(async ({ service, pid, httpPort }) => {
        const heap = await heapMb(httpPort);
        return { service, pid, rssMb: rssMb(pid), heapUsedMb: heap.used, heapTotalMb: heap.total };
      }),
    );
    return { label, readySeconds, services: figures.sort((a, b) => b.rssMb - a.rssMb) };
  } finally {
    const stopped = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid!, 'SIGINT');
    } catch {
      // Already gone.
    }
    await Promise.race([stopped, new Promise((r) => setTimeout(r, 30_000))]);
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Stopped.
    }
  }
}

async function main(): Promise<void> {
  const keptDataDir = process.env.BENCH_DATA_DIR;
  const dataDir = keptDataDir ?? mkdtempSync(join(tmpdir(), 'shop-footprint-'));
  const runs: StartFigures[] = [];
  try {
    if (FIRST_START) runs.push(await startOnce('first start (demo catalogue loaded)', dataDir));
    runs.push(await startOnce(FIRST_START ? 'start with data present' : 'start', dataDir));
  } finally {
    if (!keptDataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(`\n${cpus().length} cores, Node ${process.version}, each service ${IDLE_SECONDS} s after ready, idle\n`);
  for (const run of runs) {
    const total = run.services.reduce((sum, s) => sum + s.rssMb, 0);
    process.stdout.write(`\n${run.label}: ready ${run.readySeconds.toFixed(1)} s after launch; ${run.services.length} services, ${Math.round(total)} MB RSS together\n`);
    // eslint-disable-next-line no-console -- the benchmark prints a table for people
    console.table(
      run.services.map((s) => ({
        service: s.service,
        'RSS MB': Math.round(s.rssMb),
        'heap used MB': s.heapUsedMb === undefined ? '' : Math.round(s.heapUsedMb),
        'heap total MB': s.heapTotalMb === undefined ? '' : Math.round(s.heapTotalMb),
        'off-heap MB (RSS - heap total)': s.heapTotalMb === undefined ? '' : Math.round(s.rssMb - s.heapTotalMb),
      })),
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
