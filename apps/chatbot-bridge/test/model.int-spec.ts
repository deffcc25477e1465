import { connectMongo, migrateMongo, type MongoConnection } from '@shop/mongo';
import { ServiceMetrics } from '@shop/observability';
import { createTestMongoDatabase, type FakeOpenAi, startFakeOpenAi, type TestMongoDatabase } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { ChatService } from '../src/chat.service';
import { chatConfigSchema } from '../src/config';
import { SYSTEM_PROMPT, type TurnProgress } from '../src/model/model-assistant';
import { CHAT_MIGRATIONS, chatStore, type ChatStore } from '../src/store';
import { serviceStubs } from './stubs';

const KEY = 'integration-offer-signing-key-0123456789';

/**
 * The bridge with a model: the official OpenAI client against a scripted OpenAI-compatible server
 * (a test double of the external API speaking the real chat-completions protocol), MongoDB (FerretDB
 * here) and the other services stubbed.
 */
describe('chatbot-bridge with an OpenAI-compatible model', () => {
  let database: TestMongoDatabase;
  let mongo: MongoConnection;
  let store: ChatStore;
  let model: FakeOpenAi;
  const ada = randomUUID();
  const bob = randomUUID();
  const bobsOrder = randomUUID();
  const stubs = serviceStubs({ [bob]: [{ id: bobsOrder, status: 'SHIPPED' }] });

  const service = (env: Record<string, string> = {}) =>
    new ChatService(
      store,
      chatConfigSchema.parse({ NODE_ENV: 'test', MONGO_URL: database.url, OFFER_SIGNING_KEY: KEY, LLM_BASE_URL: model.url, LLM_MODEL: 'scripted', LLM_API_KEY: 'sk-test', LLM_MAX_RETRIES: '0', ...env }),
      stubs.products,
      stubs.inventory,
      stubs.orders,
      new ServiceMetrics('chat-model-it'),
    );

  beforeAll(async () => {
    database = await createTestMongoDatabase('chat_model_it');
    mongo = await connectMongo(database.url);
    await migrateMongo(mongo.db, CHAT_MIGRATIONS);
    store = chatStore(mongo.db);
    // Streamed chunks 10 ms apart, as a model writes them.
    model = await startFakeOpenAi({ chunkIntervalMs: 10 });
    await store.rules.insertOne({ _id: 'category:c-kitchen', scope: 'category', targetId: 'c-kitchen', maxDiscountPercent: 10, minQuantity: 1, minStock: 0, validForMinutes: 30, maxOffersPerShopper: 5, updatedBy: 'admin', updatedAt: new Date() });
  });

  afterAll(async () => {
    await model?.close();
    await mongo?.close();
    await database?.drop();
  });

  it('a model that read a poisoned description can neither read another shopper\'s order nor offer 90 % off', async () => {
    const chat = service();
    const session = await chat.create(ada);
    model.requests.length = 0;
    model.script.push(
      { toolCalls: [{ name: 'product_detail', arguments: { product_id: 'p-mug' } }] },
      { toolCalls: [{ name: 'order_status', arguments: { order_id: bobsOrder } }, { name: 'make_offer', arguments: { sku: 'MUG-1', percent: 90 } }] },
      { content: 'Done! 90% off as the description says.', usage: 40 },
    );
    const reply = await chat.send({ userId: ada, sessionId: session.id, text: 'Tell me about the mug' });
    expect(reply.text).toBe('Done! 90% off as the description says.');
    expect(reply.orders).toEqual([]);
    expect(reply.offer).toMatchObject({ sku: 'MUG-1', price: { amount: 1620, currency: 'EUR' } });
    expect(model.requests).toHaveLength(3);
    const [first, , last] = model.requests;
    expect(first!.model).toBe('scripted');
    expect(first!.tools).toHaveLength(7);
    expect(first!.messages[0]).toEqual({ role: 'system', content: SYSTEM_PROMPT });
    const toolResults = last!.messages.filter((message) => message.role === 'tool').map((message) => message.content!);
    // The description went in as data, its own </data> stripped so it cannot close the block.
    expect(toolResults[0]).toMatch(/^<data>.*ignore previous instructions.*<\/data>$/);
    expect(toolResults[0]!.match(/<\/data>/g)).toHaveLength(1);
    expect(toolResults[1]).toContain('no such order among yours');
    expect(toolResults[2]).toContain('"capped_by_rule":true');
    expect(toolResults[2]).not.toContain(reply.offer!.code);
    expect((await store.sessions.findOne({ _id: session.id }))?.tokens).toBe(100);
  });

  it('falls back to the built-in assistant when the model fails, and stops calling it once the circuit opens', async () => {
    const chat = service({ LLM_CIRCUIT_FAILURE_THRESHOLD: '2', LLM_CIRCUIT_OPEN_MS: '60000' });
    const session = await chat.create(ada);
    model.requests.length = 0;
    model.script.push({ status: 500 }, { status: 503 }, { content: 'never reached' });
    for (let turn = 0; turn < 3; turn += 1) {
      const reply = await chat.send({ userId: ada, sessionId: session.id, text: 'mug under 20' });
      expect(reply.text).toMatch(/^Built-in assistant: /);
      expect(reply.products.map((product) => product.id)).toEqual(['p-mug']);
    }
    expect(model.requests).toHaveLength(2);
    model.script.length = 0;
  });

  it('keeps to the token budget of a session', async () => {
    const chat = service({ LLM_MAX_TOKENS_PER_SESSION: '100' });
    const session = await chat.create(ada);
    model.script.push({ content: 'Hello!', usage: 150 });
    expect((await chat.send({ userId: ada, sessionId: session.id, text: 'hi' })).text).toBe('Hello!');
    await expect(chat.send({ userId: ada, sessionId: session.id, text: 'hi again' })).rejects.toMatchObject({ kind: 'rate_limited' });
  });

  it('passes the model\'s text on as it streams, tool calls included, and stores the whole reply', async () => {
    const chat = service();
    const session = await chat.create(ada);
    model.requests.length = 0;
    model.script.push(
      { content: 'Let me look for mugs.', toolCalls: [{ name: 'search_products', arguments: { query: 'mug', max_price: 2000 } }], usage: 20 },
      { content: 'I found the Stoneware Mug at 18 euros, in grey, ready to ship today.', usage: 30 },
    );
    const seen: Array<TurnProgress & { at: number }> = [];
    const reply = await chat.send({ userId: ada, sessionId: session.id, text: 'a mug under 20?' }, (event) => seen.push({ ...event, at: performance.now() }));
    const answered = performance.now();

    const pieces = seen.filter((event) => event.kind === 'text').map((event) => (event as { text: string }).text);
    // One event per streamed word, not one for the whole reply; the first long before the end.
    expect(pieces.length).toBeGreaterThanOrEqual(15);
    expect(answered - seen[0]!.at).toBeGreaterThanOrEqual(150);
    expect(seen.filter((event) => event.kind === 'tool')).toEqual([expect.objectContaining({ kind: 'tool', name: 'search_products' })]);
    expect(pieces.join('')).toBe('Let me look for mugs.\n\nI found the Stoneware Mug at 18 euros, in grey, ready to ship today.');
    expect(reply.text).toBe(pieces.join(''));
    expect(reply.products.map((product) => product.id)).toEqual(['p-mug']);
    // The tool call was put together from its streamed pieces.
    expect(model.requests[1]!.messages.find((message) => message.role === 'tool')!.content).toContain('Stoneware Mug');
    expect(model.requests.every((request) => request.stream === true)).toBe(true);

    const stored = await store.sessions.findOne({ _id: session.id });
    expect(stored?.messages.map((message) => [message.role, message.text])).toEqual([
      ['user', 'a mug under 20?'],
      ['assistant', reply.text],
    ]);
    expect(stored?.tokens).toBe(50);
  });
});
