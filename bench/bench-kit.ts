// What the benches share: CPU per process from /proc, requests counted from each service's /metrics,
// percentiles, the plain Node baseline and the test Postgres over its local socket.
import { fork } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, type Platform } from '../scripts/platform/platform';
import { formatSummary, readProfile, summarizeProfile } from './cpu-profile';

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

const TICKS_PER_SECOND = 100;

/**
 * The test Postgres over its Unix socket when it has one on this machine (scripts/infra puts it in
 * its state directory), as the embedded default does: the same server, half the cost per round trip.
 */
export function overLocalSocket(url: string): string {
  const socketDir = join(process.env.SHOP_INFRA_STATE ?? join(homedir(), '.cache/shop-platform/run'), 'postgres');
  const parsed = new URL(url);
  if (!['127.0.0.1', 'localhost'].includes(parsed.hostname) || !existsSync(join(socketDir, `.s.PGSQL.${parsed.port || 5432}`))) return url;
  parsed.searchParams.set('host', socketDir);
  return parsed.toString();
}

/** User plus system CPU seconds of a process, from /proc (Linux). */
export function cpuOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds so far of each service, the bench itself, the platform's Postgres and every Kafka and Java process on the machine. */
export function cpuByProcess(platform: Platform): Record<string, number> {
  const cpu: Record<string, number> = { bench: cpuOf(process.pid) };
  for (const [name, proc] of platform.processes) if (proc.child?.pid) cpu[name] = cpuOf(proc.child.pid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (commandOf(Number(entry)) === 'java') cpu['kafka/elasticsearch (java)'] = (cpu['kafka/elasticsearch (java)'] ?? 0) + cpuOf(Number(entry));
  }
  const ports = new Set(Object.values(platform.databaseUrls).map((url) => Number(new URL(url).port || 5432)));
  const postgres = postgresCpuByPort();
  for (const port of ports) if (postgres.has(port)) cpu.postgres = (cpu.postgres ?? 0) + postgres.get(port)!;
  return cpu;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * CPU seconds so far of each Postgres server on the machine, by port: its postmaster, its live
 * backends, and the backends that have exited (a pool closes idle connections during a run), which
 * the postmaster has reaped into its children's time. Other servers (other test runs) are not counted.
 */
function postgresCpuByPort(): Map<number, number> {
  const processes = new Map<number, { parent: number; cpu: number; reaped: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || !commandOf(Number(entry)).startsWith('postgres')) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      processes.set(Number(entry), {
        parent: Number(fields[1]),
        cpu: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
        reaped: (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND,
      });
    } catch {
      continue;
    }
  }
  const byPort = new Map<number, number>();
  for (const [pid, proc] of processes) {
    if (processes.has(proc.parent)) continue;
    const port = postmasterPort(pid);
    if (port === undefined) continue;
    let total = proc.cpu + proc.reaped;
    for (const backend of processes.values()) if (backend.parent === pid) total += backend.cpu;
    byPort.set(port, (byPort.get(port) ?? 0) + total);
  }
  return byPort;
}

/** A postmaster's port: its -p argument, else the one its data directory's postmaster.pid records (4th line). */
function postmasterPort(pid: number): number | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const flag = args.indexOf('-p');
    if (flag >= 0) return Number(args[flag + 1]);
    const dataDir = args[args.indexOf('-D') + 1];
    if (!dataDir) return 5432;
    return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[3]) || 5432;
  } catch {
    return undefined;
  }
}

/** One sample line of a service's /metrics: `http_requests_total{method="GET",route="/api/v1/orders/:id",…} 12`. */
interface Sample {
  service: string;
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Every sample of the named services' /metrics (all of them without names). */
async function scrape(platform: Platform, services?: string[]): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const [service, proc] of platform.processes) {
    if (services && !services.includes(service)) continue;
    const text = await (await fetch(`http://127.0.0.1:${proc.httpPort}/metrics`)).text();
    for (const line of text.split('\n')) {
      const match = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
      if (!match) continue;
      const labels = Object.fromEntries([...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
      samples.push({ service, name: match[1]!, labels, value: Number(match[3]) });
    }
  }
  return samples;
}

/** Requests served so far, from every service's /metrics: `gateway GET /api/v1/orders/:id`, `order OrderService.GetOrder`… */
export async function callsByService(platform: Platform): Promise<Record<string, number>> {
  const calls: Record<string, number> = {};
  for (const { service, name, labels, value } of await scrape(platform)) {
    if (name !== (service === 'gateway' ? 'http_requests_total' : 'grpc_server_handled_total')) continue;
    const what = service === 'gateway' ? `${labels.method} ${labels.route}` : `${labels.grpc_service}.${labels.grpc_method}`;
    if (what.includes('/health') || what.includes('/metrics')) continue;
    calls[`${service} ${what}`] = (calls[`${service} ${what}`] ?? 0) + value;
  }
  return calls;
}

/**
 * A stretch of a request's path, timed by one service's histogram of seconds (the series whose
 * labels include these), and the stages timed inside it: what is left of it is its own time.
 */
export interface Stage {
  name: string;
  service: string;
  histogram: string;
  labels: Record<string, string>;
  inner?: string[];
}

/**
 * The three outer stages of a gateway route served by one gRPC method: the gateway's answer, its gRPC
 * call, and the service's handling of it (whose own inner stages are `handlerInner`).
 */
export function gatewayRouteStages(route: { path: string; title: string }, call: { service: string; method: string; title: string }, handlerInner: string[]): Stage[] {
  const roundTrip = `gateway: gRPC ${call.title} round trip`;
  const handler = `${call.service}: ${call.title} handler`;
  return [
    { name: `gateway: GET ${route.path} (${route.title})`, service: 'gateway', histogram: 'http_request_duration_seconds', labels: { method: 'GET', route: route.path }, inner: [roundTrip] },
    { name: roundTrip, service: 'gateway', histogram: 'grpc_client_handling_seconds', labels: { grpc_method: call.method }, inner: [handler] },
    { name: handler, service: call.service, histogram: 'grpc_server_handling_seconds', labels: { grpc_method: call.method }, inner: handlerInner },
  ];
}

export interface StageTime {
  stage: string;
  /** How many times the stage ran per request measured (below 1 where a cache answered instead). */
  callsPerRequest: number;
  /** Its mean wall time when it ran. */
  msPerCall: number;
  /** Its wall time per request measured, and that less the inner stages'. */
  msPerRequest: number;
  ownMsPerRequest: number;
}

/** Each stage's summed seconds and count so far. */
async function stageTotals(platform: Platform, stages: Stage[]): Promise<Map<string, { seconds: number; count: number }>> {
  const samples = await scrape(platform, [...new Set(stages.map((stage) => stage.service))]);
  const totals = new Map<string, { seconds: number; count: number }>();
  for (const stage of stages) {
    const total = { seconds: 0, count: 0 };
    for (const sample of samples) {
      if (sample.service !== stage.service || !Object.entries(stage.labels).every(([label, value]) => sample.labels[label] === value)) continue;
      if (sample.name === `${stage.histogram}_sum`) total.seconds += sample.value;
      if (sample.name === `${stage.histogram}_count`) total.count += sample.value;
    }
    totals.set(stage.name, total);
  }
  return totals;
}

/**
 * Per request, the requests being those the first (outermost) stage timed in the window: autocannon's
 * count leaves out the requests still in flight when it stopped, which the services go on to finish.
 */
function stageTimes(stages: Stage[], before: Map<string, { seconds: number; count: number }>, after: Map<string, { seconds: number; count: number }>, sent: number): StageTime[] {
  const delta = (name: string) => {
    const [b, a] = [before.get(name), after.get(name)];
    return { seconds: (a?.seconds ?? 0) - (b?.seconds ?? 0), count: (a?.count ?? 0) - (b?.count ?? 0) };
  };
  const requests = (stages[0] && delta(stages[0].name).count) || sent;
  return stages.map((stage) => {
    const { seconds, count } = delta(stage.name);
    const innerSeconds = (stage.inner ?? []).reduce((sum, name) => sum + delta(name).seconds, 0);
    return {
      stage: stage.name,
      callsPerRequest: count / requests,
      msPerCall: count ? (seconds * 1000) / count : 0,
      msPerRequest: (seconds * 1000) / requests,
      ownMsPerRequest: ((seconds - innerSeconds) * 1000) / requests,
    };
  });
}

/** A table for people of where a request's wall time went, stage by stage. */
export function stageRows(times: StageTime[]): Array<Record<string, string>> {
  return times.map((time) => ({
    stage: time.stage,
    'runs per request': time.callsPerRequest.toFixed(3),
    'ms per run': time.msPerCall.toFixed(2),
    'ms per request': time.msPerRequest.toFixed(2),
    'own ms per request': time.ownMsPerRequest.toFixed(2),
  }));
}

/** The plain Node server every HTTP bench compares against, in its own process as the gateway is. */
export async function startBaseline(body: string): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const server = fork(resolve(__dirname, 'baseline-server.js'), [String(port), body], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((ready) => server.once('message', () => ready()));
  return { url: `http://127.0.0.1:${port}/`, stop: () => server.kill() };
}

export interface Figures {
  rps: number;
  p50: number;
  p99: number;
  failures: number;
  /** CPU µs per request, by process (with a platform to watch). */
  cpuMicros: Record<string, number>;
  /** Wall time per request by stage, from the services' histograms (with a platform and stages). */
  stages: StageTime[];
  /** Requests autocannon completed in the measured run (not the warm-up). */
  requests: number;
  /** When the measured run began and ended, in µs of the monotonic clock V8's CPU profiles time their samples by. */
  window: { fromMicros: number; toMicros: number };
}

/** autocannon against one URL after a short warm-up (JIT, connection pools), with each process's CPU per request. */
export async function measure(
  url: string,
  options: {
    connections: number;
    seconds: number;
    headers?: Record<string, string>;
    platform?: Platform;
    /** A path for each request in turn, instead of the URL's own (requests that no cache has seen). */
    nextPath?: () => string;
    /** autocannon's requests, taken in turn (method, path, body…), instead of a GET of the URL. */
    requests?: autocannon.Request[];
    /** Stretches of the path to time from the platform's histograms while measuring. */
    stages?: Stage[];
    /** The bench's own servers beside the platform (name to pid): their CPU is counted too. */
    servers?: Map<string, number>;
  },
): Promise<Figures> {
  const { connections, seconds, headers, platform, nextPath, stages = [], servers = new Map<string, number>() } = options;
  const cpuNow = () => ({ ...(platform ? cpuByProcess(platform) : {}), ...Object.fromEntries([...servers].map(([name, pid]) => [name, cpuOf(pid)])) });
  const requests = nextPath ? [{ setupRequest: (request: autocannon.Request) => ({ ...request, path: nextPath() }) }] : options.requests;
  await autocannon({ url, headers, connections, duration: 2, requests });
  const stagesBefore = platform && stages.length ? await stageTotals(platform, stages) : undefined;
  const before: Record<string, number> = cpuNow();
  const fromMicros = monotonicMicros();
  const result = await autocannon({ url, headers, connections, duration: seconds, requests });
  const toMicros = monotonicMicros();
  const after = cpuNow();
  const stagesAfter = platform && stagesBefore ? await stageTotals(platform, stages) : undefined;
  const total = Math.max(result.requests.total, 1);
  const cpuMicros = Object.fromEntries(
    Object.entries(after)
      .map(([name, cpuSeconds]) => [name, ((cpuSeconds - (before[name] ?? 0)) * 1e6) / total] as const)
      .filter(([, micros]) => micros >= 1),
  );
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    cpuMicros,
    stages: stagesBefore && stagesAfter ? stageTimes(stages, stagesBefore, stagesAfter, total) : [],
    requests: result.requests.total,
    window: { fromMicros, toMicros },
  };
}

/** Now on the clock V8 stamps CPU profile samples with (CLOCK_MONOTONIC, as libuv's hrtime), in µs: the same in every process here. */
function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** The hottest code of some services, from the profiles `node --cpu-prof` wrote (CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile). */
export function profileSummaries(dir: string, pids: Map<number | undefined, string>, services: string[], title: string): string {
  let text = '';
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))) {
    const service = pids.get(Number(/^CPU\.\d+\.\d+\.(\d+)\./.exec(file)?.[1]));
    if (service && services.includes(service)) text += `\n${formatSummary(`${title} ${service} (${file})`, summarizeProfile(readProfile(join(dir, file)), 15))}\n`;
  }
  return text;
}
