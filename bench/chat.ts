// npm run bench:chat: 200 concurrent chat sessions through the chatbot-bridge's gRPC API against the
// scripted OpenAI-compatible model (libs/testing startFakeOpenAi) answering after a fixed 300 ms, with
// conversations in the test MongoDB (scripts/infra: FerretDB here, or MONGO_URL). Reports what the
// bridge adds over the model's own latency (bar: at most 20 ms p99). The model double, the bridge and
// the clients share this one process (and its event loop): the figure is an upper bound.
import { chatV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { type RunningService, startService } from '@shop/service-kit';
import { withMongoDatabase } from '@shop/mongo';
import { readInfraEndpoints, startFakeOpenAi } from '@shop/testing';
import { MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { ChatModule } from '../apps/chatbot-bridge/src/chat.module';
import { chatConfigSchema } from '../apps/chatbot-bridge/src/config';
import { percentile } from './bench-kit';

const SESSIONS = Number(process.env.BENCH_CHAT_SESSIONS ?? 200);
const MESSAGES = Number(process.env.BENCH_CHAT_MESSAGES ?? 5);
const MODEL_LATENCY_MS = Number(process.env.BENCH_CHAT_MODEL_MS ?? 300);

async function main() {
  const server = process.env.MONGO_URL ?? readInfraEndpoints().MONGO_URL;
  if (!server) throw new Error('no MongoDB: set MONGO_URL or run scripts/infra/up.sh ferretdb');
  const name = `bench_chat_${Date.now()}`;
  const database = {
    url: withMongoDatabase(server, name),
    drop: async () => {
      const mongo = await MongoClient.connect(server);
      await mongo.db(name).dropDatabase();
      await mongo.close();
    },
  };
  const model = await startFakeOpenAi({ latencyMs: MODEL_LATENCY_MS });
  let service: RunningService | undefined;
  try {
    const config = chatConfigSchema.parse({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      GRPC_PORT: '0',
      HTTP_PORT: '0',
      MONGO_URL: database.url,
      OFFER_SIGNING_KEY: 'bench-offer-signing-key-0123456789abcdef',
      LLM_BASE_URL: model.url,
      LLM_MODEL: 'scripted',
      CHAT_MAX_TURNS_PER_DAY: '100000',
    });
    service = await startService({ name: 'chatbot-bridge', config, module: ChatModule });
    const client = new GrpcDownstream('chatbot-bridge', chatV1.ChatServiceService, { target: `127.0.0.1:${service.grpcPort}`, deadlineMs: 30_000, breaker: { failureThreshold: 1_000_000, openMs: 1000 } });
    const users = Array.from({ length: SESSIONS }, () => randomUUID());
    const sessions = await Promise.all(users.map((userId) => client.call('createSession', { userId })));
    // One warm-up turn each (connections, JIT), not counted.
    await Promise.all(sessions.map((session, i) => client.call('sendMessage', { userId: users[i]!, sessionId: session.id, text: 'hello' })));
    const added: number[] = [];
    const started = performance.now();
    await Promise.all(
      sessions.map(async (session, i) => {
        for (let m = 0; m < MESSAGES; m += 1) {
          const t0 = performance.now();
          await client.call('sendMessage', { userId: users[i]!, sessionId: session.id, text: `question ${m}: where is my order?` });
          added.push(performance.now() - t0 - MODEL_LATENCY_MS);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const p = (q: number) => percentile(added, q).toFixed(1);
    process.stdout.write(`${SESSIONS} sessions x ${MESSAGES} messages, model ${MODEL_LATENCY_MS} ms, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}: ${(added.length / seconds).toFixed(0)} messages/s\n`);
    process.stdout.write(`bridge overhead over the model's latency: p50 ${p(50)} ms, p90 ${p(90)} ms, p99 ${p(99)} ms, max ${Math.max(...added).toFixed(1)} ms (bar: p99 <= 20 ms)\n`);
    client.close();
  } finally {
    await service?.stop();
    await model.close();
    await database.drop();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
