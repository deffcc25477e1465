import { status } from '@grpc/grpc-js';
import { createEvent, type EventType, type IntegrationEvent, inventoryV1, topicOf } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { KafkaEventBus } from '@shop/messaging';
import { createLogger } from '@shop/observability';
import { type RunningService, startService } from '@shop/service-kit';
import { createTestDatabase, eventually, grpcCode, type TestDatabase, testInfra, uniqueName } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { inventoryConfigSchema } from '../src/config';
import { InventoryModule } from '../src/inventory.module';

type Inventory = GrpcDownstream<typeof inventoryV1.InventoryServiceService>;

const INVENTORY_TOPICS = ['inventory.reserved', 'inventory.rejected', 'inventory.released', 'inventory.committed', 'inventory.stock_changed'];

/**
 * Stock over gRPC: counts, adjustments, the ledger and the database's guards. Reservations, which
 * some of these need, are made the way the checkout saga makes them: commands on Kafka
 * (checkout-commands.int-spec.ts tests those in depth).
 */
describe('inventory service against real Postgres and Kafka', () => {
  let db: TestDatabase;
  let pg: Client;
  let service: RunningService;
  let inventory: Inventory;
  let bus: KafkaEventBus;
  const events: IntegrationEvent[] = [];
  // This run's topics and consumer groups carry its name: runs sharing the broker never see each other's messages.
  const prefix = `${uniqueName('inv')}.`;
  const sku = (name: string) => `SKU-${name}`;

  beforeAll(async () => {
    db = await createTestDatabase('inventory_it');
    const { kafkaBrokers } = testInfra();
    const config = inventoryConfigSchema.parse({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: kafkaBrokers,
      EVENT_GROUP_PREFIX: prefix,
      EVENT_TOPIC_PREFIX: prefix,
      HOST: '127.0.0.1',
      GRPC_PORT: '0',
      HTTP_PORT: '0',
      SWEEP_INTERVAL_MS: '200',
    });
    service = await startService({ name: 'inventory', config, module: InventoryModule });
    inventory = new GrpcDownstream('inventory', inventoryV1.InventoryServiceService, {
      target: `127.0.0.1:${service.grpcPort}`,
      deadlineMs: 30_000,
      breaker: { failureThreshold: 1000, openMs: 1000 },
    });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    // The raw bus adds no prefix: the topic names below carry it.
    bus = new KafkaEventBus({ brokers: kafkaBrokers.split(','), clientId: `${prefix}test`, logger: createLogger('inventory-it', 'silent') });
    await bus.subscribe({
      groupId: `${prefix}test-observer`,
      topics: INVENTORY_TOPICS.map((topic) => `${prefix}${topic}`),
      handler: async (event) => {
        events.push(event);
      },
    });
  });

  afterAll(async () => {
    inventory?.close();
    await bus?.close();
    await pg?.end();
    await service?.stop();
    await db?.drop();
  });

  const eventFor = (type: string, aggregateId: string, matches: (payload: Record<string, unknown>) => boolean = () => true) =>
    eventually(
      async () => events.find((e) => e.type === type && e.aggregateId === aggregateId && matches(e.payload as Record<string, unknown>)),
      30_000,
      `${type} for ${aggregateId} on Kafka`,
    );

  /** Sends a command of the checkout saga as the order service's outbox does, and waits for inventory's answer. */
  async function command(event: IntegrationEvent, answer: string): Promise<IntegrationEvent> {
    await bus.publish([{ topic: `${prefix}${topicOf(event.type as EventType)}`, key: event.aggregateId, value: JSON.stringify(event), headers: {} }]);
    return eventFor(answer, event.aggregateId);
  }

  /** Holds `quantity` units of the SKU for a new order; returns the order id. */
  async function reserved(name: string, quantity: number): Promise<string> {
    const orderId = randomUUID();
    await command(createEvent('inventory.reserve', orderId, { orderId, lines: [{ sku: name, quantity }] }), 'inventory.reserved');
    return orderId;
  }

  /** The ledger of a SKU adds up to its stock row. */
  async function expectLedgerMatches(name: string): Promise<void> {
    const { rows } = await pg.query(
      `SELECT s.on_hand, s.reserved,
              (SELECT coalesce(sum(on_hand_delta), 0)::int FROM stock_movements m WHERE m.sku = s.sku) AS ledger_on_hand,
              (SELECT coalesce(sum(reserved_delta), 0)::int FROM stock_movements m WHERE m.sku = s.sku) AS ledger_reserved
         FROM stock_items s WHERE s.sku = $1`,
      [name],
    );
    expect(rows[0].ledger_on_hand).toBe(rows[0].on_hand);
    expect(rows[0].ledger_reserved).toBe(rows[0].reserved);
  }

  const level = async (name: string) => (await inventory.call('getStock', { skus: [name] })).levels[0];

  it('serves health and metrics', async () => {
    const ready = await fetch(`http://127.0.0.1:${service.httpPort}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { postgres: { status: 'ok' } } });
    const metrics = await (await fetch(`http://127.0.0.1:${service.httpPort}/metrics`)).text();
    expect(metrics).toContain('grpc_server_handled_total');
  });

  it('sets and adjusts stock, refusing negative results, with a ledger that adds up', async () => {
    const item = sku('counted');
    expect(await inventory.call('setStock', { sku: item, onHand: 10, reason: 'first count' })).toEqual({ sku: item, onHand: 10, reserved: 0, available: 10 });
    expect(await inventory.call('adjustStock', { sku: item, delta: 5, reason: 'delivery' })).toMatchObject({ onHand: 15 });
    const counted = await reserved(item, 6);
    expect(await inventory.call('adjustStock', { sku: item, delta: -4, reason: 'damaged' })).toEqual({ sku: item, onHand: 11, reserved: 6, available: 5 });
    expect(await grpcCode(inventory.call('adjustStock', { sku: item, delta: -6, reason: 'lost' }))).toBe(status.FAILED_PRECONDITION);
    expect(await grpcCode(inventory.call('setStock', { sku: item, onHand: 5, reason: 'recount' }))).toBe(status.FAILED_PRECONDITION);
    expect(await grpcCode(inventory.call('setStock', { sku: item, onHand: -1, reason: '' }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(inventory.call('adjustStock', { sku: item, delta: 0, reason: '' }))).toBe(status.INVALID_ARGUMENT);
    expect(await inventory.call('setStock', { sku: item, onHand: 6, reason: 'recount' })).toEqual({ sku: item, onHand: 6, reserved: 6, available: 0 });
    await command(createEvent('inventory.commit', counted, { orderId: counted }), 'inventory.committed');
    expect(await inventory.call('adjustStock', { sku: item, delta: 2, reason: 'return' })).toEqual({ sku: item, onHand: 2, reserved: 0, available: 2 });
    expect(await grpcCode(inventory.call('adjustStock', { sku: sku('ghost'), delta: -1, reason: '' }))).toBe(status.FAILED_PRECONDITION);
    expect(await level(sku('ghost'))).toEqual({ sku: sku('ghost'), onHand: 0, reserved: 0, available: 0 });

    const ledger = await inventory.call('listMovements', { sku: item, page: 1, limit: 3 });
    expect(ledger.total).toBe(7);
    expect(ledger.items.map((m) => [m.kind, m.onHandDelta, m.reason])).toEqual([
      ['adjust', 2, 'return'],
      ['commit', -6, ''],
      ['set', -5, 'recount'],
    ]);
    expect((await inventory.call('listMovements', { sku: item, page: 3, limit: 3 })).items.map((m) => m.kind)).toEqual(['set']);
    await expectLedgerMatches(item);
    const changed = await eventFor('inventory.stock_changed', item, (payload) => payload.onHand === 2);
    expect(changed.payload).toEqual({ sku: item, onHand: 2, reserved: 0, available: 2 });
    await eventFor('inventory.stock_changed', item, (payload) => payload.onHand === 6 && payload.reserved === 6);
  });

  it('sets many stock counts in one call, all or none', async () => {
    const [a, b, c] = [sku('batch-a'), sku('batch-b'), sku('batch-c')];
    await inventory.call('setStock', { sku: b, onHand: 5, reason: 'first count' });
    await reserved(b, 3);
    const { levels } = await inventory.call('setStockBatch', {
      items: [
        { sku: c, onHand: 0, reason: 'count' },
        { sku: a, onHand: 12, reason: 'count' },
        { sku: b, onHand: 9, reason: 'count' },
      ],
    });
    expect(levels).toEqual([
      { sku: a, onHand: 12, reserved: 0, available: 12 },
      { sku: b, onHand: 9, reserved: 3, available: 6 },
      { sku: c, onHand: 0, reserved: 0, available: 0 },
    ]);
    // One count below what is reserved refuses the whole batch.
    expect(await grpcCode(inventory.call('setStockBatch', { items: [{ sku: a, onHand: 1, reason: '' }, { sku: b, onHand: 2, reason: '' }] }))).toBe(status.FAILED_PRECONDITION);
    expect((await inventory.call('getStock', { skus: [a] })).levels[0]!.onHand).toBe(12);
    expect(await grpcCode(inventory.call('setStockBatch', { items: [{ sku: a, onHand: 1, reason: '' }, { sku: a, onHand: 2, reason: '' }] }))).toBe(status.INVALID_ARGUMENT);
    for (const name of [a, b, c]) await expectLedgerMatches(name);
  });

  it('refuses malformed requests with INVALID_ARGUMENT', async () => {
    // Malformed commands are dead-lettered or rejected instead: see checkout-commands.int-spec.ts.
    const item = sku('valid');
    const calls: Array<Promise<unknown>> = [
      inventory.call('setStock', { sku: item, onHand: 1, reason: 'x'.repeat(201) }),
      inventory.call('setStock', { sku: '', onHand: 1, reason: '' }),
      inventory.call('setStock', { sku: 'x'.repeat(65), onHand: 1, reason: '' }),
      inventory.call('adjustStock', { sku: '', delta: 1, reason: '' }),
      inventory.call('getStock', { skus: [''] }),
      inventory.call('listMovements', { sku: '', page: 1, limit: 10 }),
      inventory.call('getReservation', { orderId: '' }),
      inventory.call('getReservation', { orderId: 'x'.repeat(129) }),
    ];
    for (const call of calls) expect(await grpcCode(call)).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(inventory.call('getReservation', { orderId: randomUUID() }))).toBe(status.NOT_FOUND);
  });

  it('has a database that refuses negative stock even if the code were wrong', async () => {
    const item = sku('guarded');
    await inventory.call('setStock', { sku: item, onHand: 3, reason: '' });
    await reserved(item, 2);
    const violation = (sql: string) => pg.query(sql, [item]).then(() => 'accepted', (error: { code?: string }) => error.code);
    expect(await violation('UPDATE stock_items SET on_hand = -1 WHERE sku = $1')).toBe('23514');
    expect(await violation('UPDATE stock_items SET reserved = -1 WHERE sku = $1')).toBe('23514');
    expect(await violation('UPDATE stock_items SET on_hand = 1 WHERE sku = $1')).toBe('23514');
    expect(await violation(`INSERT INTO reservation_lines (reservation_id, sku, quantity) SELECT id, $1 || '-x', 0 FROM reservations LIMIT 1`)).toBe('23514');
    expect(await level(item)).toEqual({ sku: item, onHand: 3, reserved: 2, available: 1 });
  });

  it('keeps every ledger equal to its stock row', async () => {
    const { rows } = await pg.query(
      `SELECT s.sku FROM stock_items s
         LEFT JOIN (SELECT sku, sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved FROM stock_movements GROUP BY sku) m ON m.sku = s.sku
        WHERE coalesce(m.on_hand, 0) <> s.on_hand OR coalesce(m.reserved, 0) <> s.reserved`,
    );
    expect(rows).toEqual([]);
    const { rows: count } = await pg.query('SELECT count(*)::int AS n FROM stock_items');
    expect(count[0].n).toBeGreaterThanOrEqual(5);
  });
});
