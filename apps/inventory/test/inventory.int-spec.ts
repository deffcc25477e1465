import { status } from '@grpc/grpc-js';
import { createEvent, type EventType, type IntegrationEvent, topicOf } from '@shop/contracts';
import type { KafkaEventBus } from '@shop/messaging';
import type { RunningService } from '@shop/service-kit';
import { eventually, grpcCode, uniqueName } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { expectLedgerMatches, type Inventory, type InventoryUnderTest, type Received, skusOffTheirLedger, startInventory } from './inventory-under-test';

const INVENTORY_TOPICS = ['inventory.reserved', 'inventory.rejected', 'inventory.released', 'inventory.committed', 'inventory.stock_changed'];

/**
 * Stock over gRPC: counts, adjustments, the ledger and the database's guards. Reservations, which
 * some of these need, are made the way the checkout saga makes them: commands on Kafka
 * (checkout-commands.int-spec.ts tests those in depth).
 */
describe('inventory service against real Postgres and Kafka', () => {
  let started: InventoryUnderTest | undefined;
  let pg: Client;
  let service: RunningService;
  let inventory: Inventory;
  let bus: KafkaEventBus;
  let received: Received[];
  // This run's topics and consumer groups carry its name: runs sharing the broker never see each other's messages.
  const prefix = `${uniqueName('inv')}.`;
  const sku = (name: string) => `SKU-${name}`;

  beforeAll(async () => {
    started = await startInventory({ database: 'inventory_it', prefix, watch: INVENTORY_TOPICS.map((topic) => `${prefix}${topic}`) });
    ({ pg, service, inventory, bus, received } = started);
  });

  afterAll(() => started?.stop());

  const eventFor = (type: string, aggregateId: string, matches: (payload: Record<string, unknown>) => boolean = () => true) =>
    eventually(
      async () => received.find(({ event }) => event.type === type && event.aggregateId === aggregateId && matches(event.payload as Record<string, unknown>))?.event,
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
    await expectLedgerMatches(pg, item);
    const changed = await eventFor('inventory.stock_changed', item, (payload) => payload.onHand === 2);
    // The stock row's version: one more with each of its seven movements.
    expect(changed.payload).toEqual({ sku: item, onHand: 2, reserved: 0, available: 2, version: 7 });
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
    for (const name of [a, b, c]) await expectLedgerMatches(pg, name);
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
    expect(await skusOffTheirLedger(pg)).toEqual([]);
    const { rows: count } = await pg.query('SELECT count(*)::int AS n FROM stock_items');
    expect(count[0].n).toBeGreaterThanOrEqual(5);
  });
});
