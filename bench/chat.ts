// npm run bench:chat: 200 concurrent chat sessions through the chatbot-bridge's gRPC API against the
// scripted OpenAI-compatible model (libs/testing startFakeOpenAi) answering after a fixed 300 ms, with
// conversations in the test MongoDB (scripts/infra: FerretDB here, or MONGO_URL). Reports what the
// bridge adds over the model's own latency (bar: at most 20 ms p99), message by message: the time the
// client waited minus the time the model server spent on that message's call, both measured in this
// run. The bridge runs in its own process, as deployed; the clients and the model double share this
// one. Beside the figure: where a message's time goes inside the bridge (its per-stage histogram),
// CPU per process, and with BENCH_PROFILE=1 the bridge's hottest code (node --cpu-prof).
//
// BENCH_CHAT_SESSIONS (200), BENCH_CHAT_MESSAGES (5 per session), BENCH_CHAT_MODEL_MS (300),
// BENCH_CHAT_STREAM=1 (StreamMessage instead of SendMessage: the figure is to the reply event, and
// the time to the first text is printed too).
import { chatV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { withMongoDatabase } from '@shop/mongo';
import { readInfraEndpoints, repoRoot, startFakeOpenAi } from '@shop/testing';
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { freePort } from '../scripts/platform/platform';
import { cpuOf, percentile, profileSummaries } from './bench-kit';

const SESSIONS = Number(process.env.BENCH_CHAT_SESSIONS ?? 200);
const MESSAGES = Number(process.env.BENCH_CHAT_MESSAGES ?? 5);
const MODEL_LATENCY_MS = Number(process.env.BENCH_CHAT_MODEL_MS ?? 300);
const STREAM = process.env.BENCH_CHAT_STREAM === '1';
const PROFILE = process.env.BENCH_PROFILE === '1';
const STAGES = ['before_assistant', 'assistant', 'store'] as const;

type Histogram = { buckets: Array<[number, number]>; sum: number; count: number };

/** The bridge's histograms by stage (and its gRPC server time of the message method), from its /metrics text. */
function stageHistograms(text: string, method: string): Record<string, Histogram> {
  const series: Record<string, Histogram> = {};
  const entry = (key: string) => (series[key] ??= { buckets: [], sum: 0, count: 0 });
  for (const line of text.split('\n')) {
    const match = /^(shop_chat_turn_stage_seconds|grpc_server_handling_seconds)_(bucket|sum|count)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[3]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    let key: string;
    if (match[1] === 'shop_chat_turn_stage_seconds') key = labels.stage!;
    else if (labels.grpc_method === method) key = 'grpc_server';
    else continue;
    const value = Number(match[4]);
    if (match[2] === 'bucket') entry(key).buckets.push([labels.le === '+Inf' ? Infinity : Number(labels.le), value]);
    else if (match[2] === 'sum') entry(key).sum = value;
    else entry(key).count = value;
  }
  return series;
}

/** What a histogram gained between two scrapes: mean, and p50/p99 read off the buckets (the bucket's upper bound, linearly placed within it). */
function histogramFigures(before: Histogram | undefined, after: Histogram | undefined) {
  if (!after) return undefined;
  const count = after.count - (before?.count ?? 0);
  if (count === 0) return undefined;
  const buckets = after.buckets.map(([le, cumulative], index) => [le, cumulative - (before?.buckets[index]?.[1] ?? 0)] as [number, number]);
  const quantile = (q: number) => {
    const rank = q * count;
    let lower = 0;
    let below = 0;
    for (const [le, cumulative] of buckets) {
      if (cumulative >= rank) return le === Infinity ? lower : lower + ((le - lower) * (rank - below)) / Math.max(1, cumulative - below);
      lower = le;
      below = cumulative;
    }
    return lower;
  };
  return { count, meanMs: ((after.sum - (before?.sum ?? 0)) / count) * 1000, p50Ms: quantile(0.5) * 1000, p99Ms: quantile(0.99) * 1000 };
}

/**
 * CPU seconds so far of the store's processes, by pid: the FerretDB listening on `mongoPort` (when
 * MONGO_URL is one) and every Postgres process (shared with other runs on this machine).
 */
function storeProcessesCpu(mongoPort: string): Map<number, { server: 'ferretdb' | 'postgres'; seconds: number }> {
  const found = new Map<number, { server: 'ferretdb' | 'postgres'; seconds: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let command = '';
    let commandLine = '';
    try {
      command = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const server = command === 'ferretdb' && commandLine.includes(`:${mongoPort}\0`) ? 'ferretdb' : command.startsWith('postgres') ? 'postgres' : undefined;
    if (server) found.set(Number(entry), { server, seconds: cpuOf(Number(entry)) });
  }
  return found;
}

/** CPU each store server spent between two samples; a process that exited meanwhile is not counted, one that started is counted whole. */
function storeCpuBetween(before: ReturnType<typeof storeProcessesCpu>, after: ReturnType<typeof storeProcessesCpu>): Record<string, number> {
  const spent: Record<string, number> = { ferretdb: 0, postgres: 0 };
  for (const [pid, { server, seconds }] of after) spent[server]! += seconds - (before.get(pid)?.seconds ?? 0);
  return spent;
}

async function startBridge(env: Record<string, string>, profileDir: string | undefined): Promise<{ child: ChildProcess; stop: () => Promise<void> }> {
  const child = fork(join(repoRoot(), 'dist/apps/chatbot-bridge/src/main.js'), [], {
    env: { ...process.env, ...env },
    execArgv: ['--enable-source-maps', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = `http://127.0.0.1:${env.HTTP_PORT}/health/ready`;
  for (let waited = 0; ; waited += 200) {
    if (child.exitCode !== null) throw new Error('the chatbot-bridge exited while starting');
    if (waited > 60_000) throw new Error('the chatbot-bridge was not ready within 60 s');
    const status = await fetch(ready).then((response) => response.status, () => 0);
    if (status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function main() {
  const server = process.env.MONGO_URL ?? readInfraEndpoints().MONGO_URL;
  if (!server) throw new Error('no MongoDB: set MONGO_URL or run scripts/infra/up.sh ferretdb');
  const name = `bench_chat_${Date.now()}`;
  // The model's own time per message, measured where it answers: the key is the message's text.
  const modelMs = new Map<string, number>();
  const model = await startFakeOpenAi({
    latencyMs: MODEL_LATENCY_MS,
    onAnswered: (request, ms) => modelMs.set(String(request.messages.at(-1)?.content), ms),
  });
  const [grpcPort, httpPort] = [await freePort(), await freePort()];
  const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'bench-chat-prof-')) : undefined;
  const bridge = await startBridge(
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      GRPC_PORT: String(grpcPort),
      HTTP_PORT: String(httpPort),
      MONGO_URL: withMongoDatabase(server, name),
      OFFER_SIGNING_KEY: 'bench-offer-signing-key-0123456789abcdef',
      LLM_BASE_URL: model.url,
      LLM_MODEL: 'scripted',
      CHAT_MAX_TURNS_PER_DAY: '100000',
    },
    profileDir,
  );
  const client = new GrpcDownstream('chatbot-bridge', chatV1.ChatServiceService, { target: `127.0.0.1:${grpcPort}`, deadlineMs: 60_000, breaker: { failureThreshold: 1_000_000, openMs: 1000 } });
  const metricsUrl = `http://127.0.0.1:${httpPort}/metrics`;
  const method = STREAM ? 'StreamMessage' : 'SendMessage';
  try {
    /** One message; resolves with [ms to the reply, ms to the first text]. */
    const send = async (userId: string, sessionId: string, text: string): Promise<[number, number]> => {
      const t0 = performance.now();
      if (!STREAM) {
        await client.call('sendMessage', { userId, sessionId, text });
        return [performance.now() - t0, NaN];
      }
      let first = NaN;
      for await (const event of client.stream('streamMessage', { userId, sessionId, text })) {
        if (Number.isNaN(first) && event.event?.$case === 'delta') first = performance.now() - t0;
        if (event.event?.$case === 'reply') return [performance.now() - t0, first];
      }
      throw new Error('the stream ended without a reply');
    };
    const users = Array.from({ length: SESSIONS }, () => randomUUID());
    const sessions = await Promise.all(users.map((userId) => client.call('createSession', { userId })));
    // One warm-up turn each (connections, JIT), not counted.
    await Promise.all(sessions.map((session, i) => send(users[i]!, session.id, `hello from ${i}`)));

    const overhead: number[] = [];
    const model: number[] = [];
    const firstText: number[] = [];
    const histogramsBefore = stageHistograms(await (await fetch(metricsUrl)).text(), method);
    const mongoPort = new URL(server.replace(/^mongodb(\+srv)?:/, 'http:')).port || '27017';
    const cpuBefore = { bridge: cpuOf(bridge.child.pid!), bench: cpuOf(process.pid), stores: storeProcessesCpu(mongoPort) };
    const loadBefore = loadavg()[0]!;
    const started = performance.now();
    await Promise.all(
      sessions.map(async (session, i) => {
        for (let m = 0; m < MESSAGES; m += 1) {
          const text = `question ${m} from ${i}: where is my order?`;
          const [replyMs, firstMs] = await send(users[i]!, session.id, text);
          const ownMs = modelMs.get(text);
          if (ownMs === undefined) throw new Error(`the model never answered "${text}"`);
          model.push(ownMs);
          overhead.push(replyMs - ownMs);
          if (!Number.isNaN(firstMs)) firstText.push(firstMs - ownMs);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const loadAfter = loadavg()[0]!;
    const cpuAfter = { bridge: cpuOf(bridge.child.pid!), bench: cpuOf(process.pid), stores: storeProcessesCpu(mongoPort) };
    const metricsAfter = await (await fetch(metricsUrl)).text();
    const histogramsAfter = stageHistograms(metricsAfter, method);
    // prom-client resets its event-loop delay histogram at each scrape: this one covers the run.
    const loopLag = Object.fromEntries(
      [...metricsAfter.matchAll(/^nodejs_eventloop_lag_(mean|p99|max)_seconds\{[^}]*\} (\S+)$/gm)].map((m) => [m[1], (Number(m[2]) * 1000).toFixed(1)]),
    );
    const ms = (values: number[], q: number) => percentile(values, q).toFixed(1);
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(`${SESSIONS} sessions x ${MESSAGES} messages (${method}), model ${MODEL_LATENCY_MS} ms, ${cpus().length} cores, load ${loadBefore.toFixed(1)} before / ${loadAfter.toFixed(1)} after: ${(overhead.length / seconds).toFixed(0)} messages/s`);
    out(`model's own latency (measured at the model, this run): p50 ${ms(model, 50)} ms, p99 ${ms(model, 99)} ms`);
    out(`bridge overhead over the model's latency: p50 ${ms(overhead, 50)} ms, p90 ${ms(overhead, 90)} ms, p99 ${ms(overhead, 99)} ms, max ${Math.max(...overhead).toFixed(1)} ms (bar: p99 <= 20 ms)`);
    if (firstText.length > 0) out(`first text (the model double answers in one chunk): p50 ${ms(firstText, 50)} ms, p99 ${ms(firstText, 99)} ms over the model's latency`);
    out('where a message goes inside the bridge (shop_chat_turn_stage_seconds; p50/p99 read off histogram buckets):');
    for (const stage of [...STAGES, 'grpc_server'] as const) {
      const figures = histogramFigures(histogramsBefore[stage], histogramsAfter[stage]);
      if (!figures) continue;
      const label = stage === 'grpc_server' ? `whole ${method} handler` : stage === 'assistant' ? 'assistant (model call incl. client)' : stage;
      out(`  ${label.padEnd(38)} mean ${figures.meanMs.toFixed(1).padStart(7)} ms  p50 ~${figures.p50Ms.toFixed(1).padStart(7)} ms  p99 ~${figures.p99Ms.toFixed(1).padStart(7)} ms`);
    }
    const modelMean = model.reduce((sum, value) => sum + value, 0) / model.length;
    const assistant = histogramFigures(histogramsBefore.assistant, histogramsAfter.assistant);
    if (assistant) out(`  model client in the bridge (assistant mean minus model's own mean): ${(assistant.meanMs - modelMean).toFixed(1)} ms`);
    out(`  the bridge's event loop delay over the run: mean ${loopLag.mean} ms, p99 ${loopLag.p99} ms, max ${loopLag.max} ms`);
    const cpuSpent = { bridge: cpuAfter.bridge - cpuBefore.bridge, 'bench (clients and model)': cpuAfter.bench - cpuBefore.bench, ...storeCpuBetween(cpuBefore.stores, cpuAfter.stores) };
    const cpuLine = Object.entries(cpuSpent)
      .map(([process, seconds]) => `${process} ${((seconds * 1000) / overhead.length).toFixed(2)} ms`)
      .join(', ');
    out(`CPU per message: ${cpuLine} (postgres: all of its processes on this machine, other runs' included); ${(Object.values(cpuSpent).reduce((sum, value) => sum + value, 0) / seconds).toFixed(2)} of ${cpus().length} cores busy with these`);
    client.close();
  } finally {
    await bridge.stop();
    await model.close();
    const mongo = await MongoClient.connect(server);
    await mongo.db(name).dropDatabase();
    await mongo.close();
  }
  if (profileDir) process.stdout.write(profileSummaries(profileDir, new Map([[bridge.child.pid, 'chatbot-bridge']]), ['chatbot-bridge'], 'hottest code of'));
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
