import { status } from '@grpc/grpc-js';
import { type IntegrationEvent, inventoryV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { KafkaEventBus } from '@shop/messaging';
import { createLogger } from '@shop/observability';
import { runService, type RunningService } from '@shop/service-kit';
import { createTestDatabase, eventually, grpcCode, grpcError, type TestDatabase, testInfra, uniqueName } from '@shop/testing';
import { Client } from 'pg';
import { inventoryConfigSchema } from '../src/config';
import { inventoryService } from '../src/inventory.service-spec';

type Inventory = GrpcDownstream<typeof inventoryV1.InventoryServiceService>;

const INVENTORY_TOPICS = ['inventory.reserved', 'inventory.rejected', 'inventory.released', 'inventory.committed', 'inventory.stock_changed'];

describe('inventory service against real Postgres and Kafka', () => {
  let db: TestDatabase;
  let pg: Client;
  let service: RunningService;
  let clients: Inventory[];
  let inventory: Inventory;
  let bus: KafkaEventBus;
  const events: IntegrationEvent[] = [];
  // Topics outlive test runs: everything this run creates carries its name.
  const run = uniqueName('inv');
  const sku = (name: string) => `${run}-${name}`;
  const order = (name: string) => `${run}-order-${name}`;

  beforeAll(async () => {
    db = await createTestDatabase('inventory_it');
    const { kafkaBrokers } = testInfra();
    const config = inventoryConfigSchema.parse({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: kafkaBrokers,
      EVENT_GROUP_PREFIX: `${uniqueName('inventory-it')}.`,
      HOST: '127.0.0.1',
      GRPC_PORT: '0',
      HTTP_PORT: '0',
      SWEEP_INTERVAL_MS: '200',
    });
    service = await runService(inventoryService(config));
    // Several clients, so the bursts below arrive over several connections, as from several callers.
    clients = [1, 2, 3, 4].map(
      () =>
        new GrpcDownstream('inventory', inventoryV1.InventoryServiceService, {
          target: `127.0.0.1:${service.grpcPort}`,
          deadlineMs: 30_000,
          breaker: { failureThreshold: 1000, openMs: 1000 },
        }),
    );
    inventory = clients[0]!;
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    bus = new KafkaEventBus({ brokers: kafkaBrokers.split(','), clientId: uniqueName('inventory-it'), logger: createLogger('inventory-it', 'silent') });
    await bus.subscribe({
      groupId: uniqueName('inventory-it'),
      topics: INVENTORY_TOPICS,
      handler: async (event) => {
        if (event.aggregateId.startsWith(run)) events.push(event);
      },
    });
  });

  afterAll(async () => {
    clients?.forEach((client) => client.close());
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

  /** The ledger of a SKU adds up to its stock row. */
  async function ledgerOf(skuName: string): Promise<{ onHand: number; reserved: number; ledgerOnHand: number; ledgerReserved: number }> {
    const { rows } = await pg.query(
      `SELECT s.on_hand, s.reserved,
              (SELECT coalesce(sum(on_hand_delta), 0)::int FROM stock_movements m WHERE m.sku = s.sku) AS ledger_on_hand,
              (SELECT coalesce(sum(reserved_delta), 0)::int FROM stock_movements m WHERE m.sku = s.sku) AS ledger_reserved
         FROM stock_items s WHERE s.sku = $1`,
      [skuName],
    );
    const row = rows[0];
    return { onHand: row.on_hand, reserved: row.reserved, ledgerOnHand: row.ledger_on_hand, ledgerReserved: row.ledger_reserved };
  }

  async function expectLedgerMatches(skuName: string): Promise<void> {
    const ledger = await ledgerOf(skuName);
    expect(ledger.ledgerOnHand).toBe(ledger.onHand);
    expect(ledger.ledgerReserved).toBe(ledger.reserved);
  }

  const level = async (skuName: string) => (await inventory.call('getStock', { skus: [skuName] })).levels[0];

  it('serves health and metrics', async () => {
    const ready = await fetch(`http://127.0.0.1:${service.httpPort}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { postgres: { status: 'ok' } } });
    const metrics = await (await fetch(`http://127.0.0.1:${service.httpPort}/metrics`)).text();
    expect(metrics).toContain('grpc_server_handled_total');
  });

  it('lets exactly as many of 200 concurrent reservations succeed as there are units', async () => {
    const hot = sku('hot');
    await inventory.call('setStock', { sku: hot, onHand: 50, reason: 'delivery' });
    const sent: number[] = [];
    const settled: number[] = [];
    const started = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        sent.push(performance.now());
        return clients[i % clients.length]!.call('reserve', { orderId: order(`hot-${i}`), lines: [{ sku: hot, quantity: 1 }], ttlSeconds: 0 }).then(
          () => {
            settled.push(performance.now());
            return 'ok';
          },
          (error: { code: number; details: string }) => {
            settled.push(performance.now());
            return error.code === status.FAILED_PRECONDITION && error.details === `insufficient stock for: ${hot}` ? 'short' : `${error.code} ${error.details}`;
          },
        );
      }),
    );
    const elapsed = performance.now() - started;
    // All 200 were in flight together: the first answer came after the last request went out.
    expect(Math.min(...settled)).toBeGreaterThan(Math.max(...sent));
    const tally = outcomes.reduce<Record<string, number>>((counts, outcome) => ({ ...counts, [outcome]: (counts[outcome] ?? 0) + 1 }), {});
    expect(tally).toEqual({ ok: 50, short: 150 });
    expect(await level(hot)).toEqual({ sku: hot, onHand: 50, reserved: 50, available: 0 });
    await expectLedgerMatches(hot);
    const { rows } = await pg.query(`SELECT count(*)::int AS n FROM reservations WHERE order_id LIKE $1`, [`${order('hot-')}%`]);
    expect(rows[0].n).toBe(50);
    process.stdout.write(`[inventory] 200 concurrent reservations of one SKU (50 units): ${Math.round(elapsed)} ms\n`);
  });

  it('reserves multi-line orders all or nothing under concurrency, without deadlocks', async () => {
    const a = sku('pair-a');
    const b = sku('pair-b');
    await inventory.call('setStock', { sku: a, onHand: 30, reason: '' });
    await inventory.call('setStock', { sku: b, onHand: 20, reason: '' });
    const started = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        // Half the orders list the SKUs the other way round: without ordered locking they would deadlock.
        const lines = i % 2 === 0 ? [{ sku: a, quantity: 1 }, { sku: b, quantity: 1 }] : [{ sku: b, quantity: 1 }, { sku: a, quantity: 1 }];
        return clients[i % clients.length]!.call('reserve', { orderId: order(`pair-${i}`), lines, ttlSeconds: 0 }).then(
          () => 'ok',
          (error: { code: number; details: string }) => (error.code === status.FAILED_PRECONDITION ? 'short' : `${error.code} ${error.details}`),
        );
      }),
    );
    const elapsed = performance.now() - started;
    const tally = outcomes.reduce<Record<string, number>>((counts, outcome) => ({ ...counts, [outcome]: (counts[outcome] ?? 0) + 1 }), {});
    expect(tally).toEqual({ ok: 20, short: 80 });
    expect(await inventory.call('getStock', { skus: [a, b] })).toEqual({
      levels: [
        { sku: a, onHand: 30, reserved: 20, available: 10 },
        { sku: b, onHand: 20, reserved: 20, available: 0 },
      ],
    });
    // Nothing partial: every reservation holds both lines, and only the winners have one.
    const { rows } = await pg.query(
      `SELECT count(DISTINCT r.id)::int AS reservations, count(l.sku)::int AS lines
         FROM reservations r JOIN reservation_lines l ON l.reservation_id = r.id WHERE r.order_id LIKE $1`,
      [`${order('pair-')}%`],
    );
    expect(rows[0]).toEqual({ reservations: 20, lines: 40 });
    await expectLedgerMatches(a);
    await expectLedgerMatches(b);
    process.stdout.write(`[inventory] 100 concurrent two-line reservations (30 + 20 units): ${Math.round(elapsed)} ms\n`);
  });

  it('reserves nothing when one line is short, and says so on Kafka', async () => {
    const plenty = sku('plenty');
    const scarce = sku('scarce');
    const unknown = sku('never-stocked');
    await inventory.call('setStock', { sku: plenty, onHand: 5, reason: '' });
    await inventory.call('setStock', { sku: scarce, onHand: 1, reason: '' });
    const orderId = order('short');
    const error = await grpcError(
      inventory.call('reserve', {
        orderId,
        lines: [
          { sku: plenty, quantity: 2 },
          { sku: scarce, quantity: 2 },
          { sku: unknown, quantity: 1 },
        ],
        ttlSeconds: 0,
      }),
    );
    expect(error.code).toBe(status.FAILED_PRECONDITION);
    expect(error.details).toBe(`insufficient stock for: ${[scarce, unknown].sort().join(', ')}`);
    expect(await inventory.call('getStock', { skus: [plenty, scarce, unknown] })).toEqual({
      levels: [
        { sku: plenty, onHand: 5, reserved: 0, available: 5 },
        { sku: scarce, onHand: 1, reserved: 0, available: 1 },
        { sku: unknown, onHand: 0, reserved: 0, available: 0 },
      ],
    });
    expect(await grpcCode(inventory.call('getReservation', { orderId }))).toBe(status.NOT_FOUND);
    const rejected = await eventFor('inventory.rejected', orderId);
    expect(rejected).toMatchObject({ version: 1, payload: { orderId, shortSkus: [scarce, unknown].sort(), reason: 'insufficient stock' } });
    // The same order with what there is goes through.
    const ok = await inventory.call('reserve', { orderId, lines: [{ sku: plenty, quantity: 2 }, { sku: scarce, quantity: 1 }], ttlSeconds: 0 });
    expect(ok).toMatchObject({ orderId, status: 'active' });
    await eventFor('inventory.reserved', orderId);
  });

  it('merges duplicate lines and checks their total', async () => {
    const item = sku('dupes');
    await inventory.call('setStock', { sku: item, onHand: 3, reason: '' });
    expect(
      await grpcCode(inventory.call('reserve', { orderId: order('dupes-1'), lines: [{ sku: item, quantity: 2 }, { sku: item, quantity: 2 }], ttlSeconds: 0 })),
    ).toBe(status.FAILED_PRECONDITION);
    const reservation = await inventory.call('reserve', {
      orderId: order('dupes-2'),
      lines: [{ sku: item, quantity: 1 }, { sku: item, quantity: 2 }],
      ttlSeconds: 0,
    });
    expect(reservation.lines).toEqual([{ sku: item, quantity: 3 }]);
    expect(await level(item)).toMatchObject({ reserved: 3, available: 0 });
  });

  it('answers the same order with the same reservation, also under concurrent retries', async () => {
    const item = sku('idem');
    await inventory.call('setStock', { sku: item, onHand: 10, reason: '' });
    const orderId = order('idem');
    const first = await inventory.call('reserve', { orderId, lines: [{ sku: item, quantity: 2 }], ttlSeconds: 0 });
    const again = await inventory.call('reserve', { orderId, lines: [{ sku: item, quantity: 2 }], ttlSeconds: 0 });
    expect(again).toEqual(first);
    expect(await level(item)).toMatchObject({ reserved: 2 });

    const racedId = order('idem-raced');
    const raced = await Promise.all(
      Array.from({ length: 20 }, (_, i) => clients[i % clients.length]!.call('reserve', { orderId: racedId, lines: [{ sku: item, quantity: 3 }], ttlSeconds: 0 })),
    );
    expect(new Set(raced.map((r) => r.id)).size).toBe(1);
    expect(await level(item)).toMatchObject({ onHand: 10, reserved: 5 });

    // Same order, different SKUs at once: the locks do not serialise these, the unique order id does.
    const other = sku('idem-other');
    await inventory.call('setStock', { sku: other, onHand: 10, reason: '' });
    const splitId = order('idem-split');
    const split = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        clients[i % clients.length]!.call('reserve', { orderId: splitId, lines: [{ sku: i % 2 ? item : other, quantity: 1 }], ttlSeconds: 0 }),
      ),
    );
    expect(new Set(split.map((r) => r.id)).size).toBe(1);
    const stock = await inventory.call('getStock', { skus: [item, other] });
    expect(stock.levels.reduce((sum, l) => sum + l.reserved, 0)).toBe(6);
    await expectLedgerMatches(item);
    await expectLedgerMatches(other);
  });

  it('commits and releases idempotently, and never one after the other', async () => {
    const item = sku('life');
    await inventory.call('setStock', { sku: item, onHand: 10, reason: '' });
    const sold = order('sold');
    await inventory.call('reserve', { orderId: sold, lines: [{ sku: item, quantity: 3 }], ttlSeconds: 0 });
    const committed = await inventory.call('commitReservation', { orderId: sold });
    expect(committed.status).toBe('committed');
    expect(await inventory.call('commitReservation', { orderId: sold })).toEqual(committed);
    expect(await level(item)).toEqual({ sku: item, onHand: 7, reserved: 0, available: 7 });
    const refused = await grpcError(inventory.call('releaseReservation', { orderId: sold, reason: 'cancelled' }));
    expect(refused.code).toBe(status.FAILED_PRECONDITION);
    await eventFor('inventory.committed', sold);

    const cancelled = order('cancelled');
    await inventory.call('reserve', { orderId: cancelled, lines: [{ sku: item, quantity: 4 }], ttlSeconds: 0 });
    expect(await level(item)).toMatchObject({ reserved: 4, available: 3 });
    const released = await inventory.call('releaseReservation', { orderId: cancelled, reason: 'payment failed' });
    expect(released.status).toBe('released');
    expect(await inventory.call('releaseReservation', { orderId: cancelled, reason: 'again' })).toEqual(released);
    expect(await grpcCode(inventory.call('commitReservation', { orderId: cancelled }))).toBe(status.FAILED_PRECONDITION);
    expect(await level(item)).toEqual({ sku: item, onHand: 7, reserved: 0, available: 7 });
    expect(await eventFor('inventory.released', cancelled)).toMatchObject({ payload: { orderId: cancelled, reservationId: released.id, reason: 'payment failed' } });

    expect(await grpcCode(inventory.call('commitReservation', { orderId: order('nobody') }))).toBe(status.NOT_FOUND);
    expect(await grpcCode(inventory.call('releaseReservation', { orderId: order('nobody'), reason: '' }))).toBe(status.NOT_FOUND);
    const kinds = (await inventory.call('listMovements', { sku: item, page: 1, limit: 10 })).items.map((m) => [m.kind, m.onHandDelta, m.reservedDelta]);
    expect(kinds).toEqual([
      ['release', 0, -4],
      ['reserve', 0, 4],
      ['commit', -3, -3],
      ['reserve', 0, 3],
      ['set', 10, 0],
    ]);
    await expectLedgerMatches(item);
  });

  it('expires reservations nobody committed, giving their stock back', async () => {
    const item = sku('expiring');
    await inventory.call('setStock', { sku: item, onHand: 4, reason: '' });
    const orderId = order('expiring');
    const reservation = await inventory.call('reserve', { orderId, lines: [{ sku: item, quantity: 4 }], ttlSeconds: 3 });
    expect(new Date(reservation.expiresAt).getTime() - new Date(reservation.createdAt).getTime()).toBeLessThan(4000);
    expect(await level(item)).toMatchObject({ available: 0 });
    const expired = await eventually(
      async () => {
        const current = await inventory.call('getReservation', { orderId });
        return current.status === 'expired' ? current : undefined;
      },
      10_000,
      'reservation expired',
    );
    expect(expired.id).toBe(reservation.id);
    expect(await level(item)).toEqual({ sku: item, onHand: 4, reserved: 0, available: 4 });
    expect(await eventFor('inventory.released', orderId)).toMatchObject({ payload: { orderId, reservationId: reservation.id, reason: 'expired' } });
    expect(await grpcCode(inventory.call('commitReservation', { orderId }))).toBe(status.FAILED_PRECONDITION);
    expect((await inventory.call('releaseReservation', { orderId, reason: 'late' })).status).toBe('expired');
    const movements = await inventory.call('listMovements', { sku: item, page: 1, limit: 1 });
    expect(movements.items[0]).toMatchObject({ kind: 'expire', reservedDelta: -4, reason: 'expired', reference: orderId });
    await expectLedgerMatches(item);
  });

  it('sets and adjusts stock, refusing negative results, with a ledger that adds up', async () => {
    const item = sku('counted');
    expect(await inventory.call('setStock', { sku: item, onHand: 10, reason: 'first count' })).toEqual({ sku: item, onHand: 10, reserved: 0, available: 10 });
    expect(await inventory.call('adjustStock', { sku: item, delta: 5, reason: 'delivery' })).toMatchObject({ onHand: 15 });
    await inventory.call('reserve', { orderId: order('counted'), lines: [{ sku: item, quantity: 6 }], ttlSeconds: 0 });
    expect(await inventory.call('adjustStock', { sku: item, delta: -4, reason: 'damaged' })).toEqual({ sku: item, onHand: 11, reserved: 6, available: 5 });
    expect(await grpcCode(inventory.call('adjustStock', { sku: item, delta: -6, reason: 'lost' }))).toBe(status.FAILED_PRECONDITION);
    expect(await grpcCode(inventory.call('setStock', { sku: item, onHand: 5, reason: 'recount' }))).toBe(status.FAILED_PRECONDITION);
    expect(await grpcCode(inventory.call('setStock', { sku: item, onHand: -1, reason: '' }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(inventory.call('adjustStock', { sku: item, delta: 0, reason: '' }))).toBe(status.INVALID_ARGUMENT);
    expect(await inventory.call('setStock', { sku: item, onHand: 6, reason: 'recount' })).toEqual({ sku: item, onHand: 6, reserved: 6, available: 0 });
    await inventory.call('commitReservation', { orderId: order('counted') });
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
    await inventory.call('reserve', { orderId: order('batch'), lines: [{ sku: b, quantity: 3 }], ttlSeconds: 600 });
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
    const item = sku('valid');
    const calls: Array<Promise<unknown>> = [
      inventory.call('reserve', { orderId: '', lines: [{ sku: item, quantity: 1 }], ttlSeconds: 0 }),
      inventory.call('reserve', { orderId: order('v1'), lines: [], ttlSeconds: 0 }),
      inventory.call('reserve', { orderId: order('v2'), lines: Array.from({ length: 101 }, (_, i) => ({ sku: `${item}${i}`, quantity: 1 })), ttlSeconds: 0 }),
      inventory.call('reserve', { orderId: order('v3'), lines: [{ sku: item, quantity: 0 }], ttlSeconds: 0 }),
      inventory.call('reserve', { orderId: order('v4'), lines: [{ sku: item, quantity: 10_001 }], ttlSeconds: 0 }),
      inventory.call('reserve', { orderId: order('v5'), lines: [{ sku: 'x'.repeat(65), quantity: 1 }], ttlSeconds: 0 }),
      inventory.call('reserve', { orderId: order('v6'), lines: [{ sku: '', quantity: 1 }], ttlSeconds: 0 }),
      inventory.call('reserve', { orderId: order('v7'), lines: [{ sku: item, quantity: 1 }], ttlSeconds: -5 }),
      inventory.call('setStock', { sku: item, onHand: 1, reason: 'x'.repeat(201) }),
      inventory.call('setStock', { sku: '', onHand: 1, reason: '' }),
      inventory.call('getStock', { skus: [''] }),
      inventory.call('listMovements', { sku: '', page: 1, limit: 10 }),
      inventory.call('getReservation', { orderId: '' }),
      inventory.call('commitReservation', { orderId: '' }),
      inventory.call('releaseReservation', { orderId: order('v8'), reason: 'x'.repeat(201) }),
    ];
    for (const call of calls) expect(await grpcCode(call)).toBe(status.INVALID_ARGUMENT);
  });

  it('has a database that refuses negative stock even if the code were wrong', async () => {
    const item = sku('guarded');
    await inventory.call('setStock', { sku: item, onHand: 3, reason: '' });
    await inventory.call('reserve', { orderId: order('guarded'), lines: [{ sku: item, quantity: 2 }], ttlSeconds: 0 });
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
    expect(count[0].n).toBeGreaterThan(10);
  });
});
