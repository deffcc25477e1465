import { status } from '@grpc/grpc-js';
import { createEvent, type EventType, type IntegrationEvent, topicOf } from '@shop/contracts';
import type { KafkaEventBus } from '@shop/messaging';
import { eventually, grpcCode, uniqueName } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { CHECKOUT_COMMANDS_CONSUMER } from '../src/reservations/checkout-commands.consumer';
import { expectLedgerMatches, type Inventory, type InventoryUnderTest, type Received, skusOffTheirLedger, startInventory } from './inventory-under-test';

type Line = { sku: string; quantity: number };

/** Inventory's answers to the saga's commands. */
const REPLY_TOPICS = ['inventory.reserved', 'inventory.rejected', 'inventory.released', 'inventory.committed'];
/** How long a reservation holds its units here; the expiry test moves a reservation's time on instead of waiting. */
const TTL_SECONDS = 600;

const sku = (name: string) => `SKU-${name}`;
/** Never stocked: a reservation of it is always rejected. */
const PROBE_SKU = sku('probe-never-stocked');

const reserve = (orderId: string, lines: Line[]) => createEvent('inventory.reserve', orderId, { orderId, lines });
const commit = (orderId: string) => createEvent('inventory.commit', orderId, { orderId });
const release = (orderId: string, reason: string) => createEvent('inventory.release', orderId, { orderId, reason });
/** An envelope whose payload its schema refuses. */
const malformed = (type: EventType, payload: Record<string, unknown>): IntegrationEvent => createEvent(type, randomUUID(), payload as never);

describe("inventory taking the checkout saga's commands on Kafka", () => {
  let started: InventoryUnderTest | undefined;
  let pg: Client;
  let inventory: Inventory;
  let bus: KafkaEventBus;
  let received: Received[];
  // This run's topics and consumer groups carry its name: runs sharing the broker never see each other's commands.
  const prefix = `${uniqueName('inv_cmd')}.`;
  const COMMAND_TOPIC = `${prefix}${topicOf('inventory.reserve')}`;
  const DEAD_LETTER_TOPIC = `${COMMAND_TOPIC}.dlq`;

  beforeAll(async () => {
    started = await startInventory({
      database: 'inventory_cmd_it',
      prefix,
      watch: [...REPLY_TOPICS.map((topic) => `${prefix}${topic}`), DEAD_LETTER_TOPIC],
      settings: { RESERVATION_TTL_SECONDS: String(TTL_SECONDS) },
    });
    ({ pg, inventory, bus, received } = started);
  });

  afterAll(() => started?.stop());

  /** Sends commands as the order service's outbox does: on inventory's command topic, keyed by order id (or by `key`). */
  async function send(commands: IntegrationEvent[], key?: string): Promise<void> {
    await bus.publish(
      commands.map((command) => ({ topic: `${prefix}${topicOf(command.type as EventType)}`, key: key ?? command.aggregateId, value: JSON.stringify(command), headers: {} })),
    );
  }

  const replies = (orderId: string) => received.filter((r) => r.topic !== DEAD_LETTER_TOPIC && r.event.aggregateId === orderId).map((r) => r.event);

  /** Inventory's answer of this type for the order, as it arrives on Kafka. */
  const reply = (type: string, orderId: string, matches: (payload: Record<string, unknown>) => boolean = () => true) =>
    eventually(
      async () => replies(orderId).find((event) => event.type === type && matches(event.payload as Record<string, unknown>)),
      30_000,
      `${type} for ${orderId} on Kafka`,
    );

  const deadLetter = (command: IntegrationEvent) =>
    eventually(async () => received.find((r) => r.topic === DEAD_LETTER_TOPIC && r.event.id === command.id), 30_000, `${command.type} ${command.id} dead-lettered`);

  /**
   * Resolves once every command sent so far on `key` has been handled: one key's commands are
   * handled in order, so a probe sent behind them is answered after them. For commands whose
   * effect is that nothing happens.
   */
  async function handled(key: string): Promise<void> {
    const probe = randomUUID();
    await send([reserve(probe, [{ sku: PROBE_SKU, quantity: 1 }])], key);
    await reply('inventory.rejected', probe);
  }

  /** The answers inventory wrote for the order, in order: its outbox holds them from the moment the change committed. */
  const written = async (orderId: string) => (await pg.query('SELECT type FROM outbox_events WHERE key = $1 ORDER BY seq', [orderId])).rows.map((row) => row.type);

  const level = async (name: string) => (await inventory.call('getStock', { skus: [name] })).levels[0];

  const reservationIn = (orderId: string, wanted: string) =>
    eventually(
      async () => {
        const found = await inventory.call('getReservation', { orderId }).catch(() => undefined);
        return found?.status === wanted ? found : undefined;
      },
      30_000,
      `reservation of ${orderId} ${wanted}`,
    );

  /** Waits for the answer (inventory.reserved or inventory.rejected) to each order. */
  const answers = (orderIds: string[], timeoutMs = 60_000) =>
    eventually(
      async () => {
        const byOrder = new Map<string, IntegrationEvent>();
        for (const { topic, event } of received) {
          if (topic === `${prefix}inventory.reserved` || topic === `${prefix}inventory.rejected`) byOrder.set(event.aggregateId, event);
        }
        const found = orderIds.map((orderId) => byOrder.get(orderId));
        return found.every(Boolean) ? (found as IntegrationEvent[]) : undefined;
      },
      timeoutMs,
      `an answer to each of ${orderIds.length} orders`,
    );

  const tally = (events: IntegrationEvent[]) => events.reduce<Record<string, number>>((counts, { type }) => ({ ...counts, [type]: (counts[type] ?? 0) + 1 }), {});

  const deadlocks = async () => (await pg.query('SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0].n as number;

  it('sells exactly as many of 200 orders reserved at once as there are units', async () => {
    const hot = sku('hot');
    await inventory.call('setStock', { sku: hot, onHand: 50, reason: 'delivery' });
    const orderIds = Array.from({ length: 200 }, () => randomUUID());
    const started = performance.now();
    // All 200 commands in one go: inventory takes them in batches, side by side on the topic's partitions.
    await send(orderIds.map((orderId) => reserve(orderId, [{ sku: hot, quantity: 1 }])));
    const outcome = await answers(orderIds);
    const elapsed = performance.now() - started;
    expect(tally(outcome)).toEqual({ 'inventory.reserved': 50, 'inventory.rejected': 150 });
    for (const event of outcome.filter((e) => e.type === 'inventory.rejected')) {
      expect(event.payload).toEqual({ orderId: event.aggregateId, shortSkus: [hot], reason: 'insufficient stock' });
    }
    expect(await level(hot)).toEqual({ sku: hot, onHand: 50, reserved: 50, available: 0 });
    await expectLedgerMatches(pg, hot);
    const { rows } = await pg.query('SELECT count(*)::int AS n FROM reservations WHERE order_id = ANY($1::text[])', [orderIds]);
    expect(rows[0].n).toBe(50);
    // One answer per order, however the batches fell.
    const { rows: written } = await pg.query(
      `SELECT count(*)::int AS n FROM outbox_events WHERE key = ANY($1::text[]) AND type IN ('inventory.reserved', 'inventory.rejected')`,
      [orderIds],
    );
    expect(written[0].n).toBe(200);
    process.stdout.write(`[inventory] 200 reserve commands for one SKU (50 units), sent at once, all answered: ${Math.round(elapsed)} ms\n`);
  });

  it('reserves multi-line orders all or nothing under concurrency, without deadlocks', async () => {
    const a = sku('pair-a');
    const b = sku('pair-b');
    await inventory.call('setStock', { sku: a, onHand: 30, reason: '' });
    await inventory.call('setStock', { sku: b, onHand: 20, reason: '' });
    const deadlocksBefore = await deadlocks();
    const orderIds = Array.from({ length: 100 }, () => randomUUID());
    const started = performance.now();
    await send(
      orderIds.map((orderId, i) =>
        // Half the orders list the SKUs the other way round: without ordered locking they would deadlock.
        reserve(orderId, i % 2 === 0 ? [{ sku: a, quantity: 1 }, { sku: b, quantity: 1 }] : [{ sku: b, quantity: 1 }, { sku: a, quantity: 1 }]),
      ),
    );
    const outcome = await answers(orderIds);
    const elapsed = performance.now() - started;
    expect(tally(outcome)).toEqual({ 'inventory.reserved': 20, 'inventory.rejected': 80 });
    // b ran out first: every rejection names it, and only it.
    for (const event of outcome.filter((e) => e.type === 'inventory.rejected')) expect(event.payload).toMatchObject({ shortSkus: [b] });
    for (const event of outcome.filter((e) => e.type === 'inventory.reserved')) {
      expect(event.payload).toMatchObject({ lines: [{ sku: a, quantity: 1 }, { sku: b, quantity: 1 }] });
    }
    expect(await inventory.call('getStock', { skus: [a, b] })).toEqual({
      levels: [
        { sku: a, onHand: 30, reserved: 20, available: 10 },
        { sku: b, onHand: 20, reserved: 20, available: 0 },
      ],
    });
    // Nothing partial: every reservation holds both lines, and only the winners have one.
    const { rows } = await pg.query(
      `SELECT count(DISTINCT r.id)::int AS reservations, count(l.sku)::int AS lines
         FROM reservations r JOIN reservation_lines l ON l.reservation_id = r.id WHERE r.order_id = ANY($1::text[])`,
      [orderIds],
    );
    expect(rows[0]).toEqual({ reservations: 20, lines: 40 });
    await expectLedgerMatches(pg, a);
    await expectLedgerMatches(pg, b);
    // Postgres counts the deadlocks it broke; a broken one would only have been retried, so look.
    expect(await deadlocks()).toBe(deadlocksBefore);
    process.stdout.write(`[inventory] 100 two-line reserve commands (30 + 20 units), sent at once, all answered: ${Math.round(elapsed)} ms\n`);
  });

  it('reserves nothing when one line is short, and says which lines in inventory.rejected', async () => {
    const plenty = sku('plenty');
    const scarce = sku('scarce');
    const unknown = sku('never-stocked');
    await inventory.call('setStock', { sku: plenty, onHand: 5, reason: '' });
    await inventory.call('setStock', { sku: scarce, onHand: 1, reason: '' });
    const orderId = randomUUID();
    await send([
      reserve(orderId, [
        { sku: unknown, quantity: 1 },
        { sku: plenty, quantity: 2 },
        { sku: scarce, quantity: 2 },
      ]),
    ]);
    const rejected = await reply('inventory.rejected', orderId);
    expect(rejected).toMatchObject({ version: 1, payload: { orderId, shortSkus: [scarce, unknown].sort(), reason: 'insufficient stock' } });
    expect(await inventory.call('getStock', { skus: [plenty, scarce, unknown] })).toEqual({
      levels: [
        { sku: plenty, onHand: 5, reserved: 0, available: 5 },
        { sku: scarce, onHand: 1, reserved: 0, available: 1 },
        { sku: unknown, onHand: 0, reserved: 0, available: 0 },
      ],
    });
    expect(await grpcCode(inventory.call('getReservation', { orderId }))).toBe(status.NOT_FOUND);
    expect((await inventory.call('listMovements', { sku: plenty, page: 1, limit: 10 })).items.map((m) => m.kind)).toEqual(['set']);
    // The same order with what there is goes through: a rejection holds nothing.
    await send([reserve(orderId, [{ sku: scarce, quantity: 1 }, { sku: plenty, quantity: 2 }])]);
    const reserved = await reply('inventory.reserved', orderId);
    expect(reserved.payload).toMatchObject({ orderId, lines: [{ sku: plenty, quantity: 2 }, { sku: scarce, quantity: 1 }] });
    expect(await reservationIn(orderId, 'active')).toMatchObject({ orderId, id: (reserved.payload as { reservationId: string }).reservationId });
    expect(await written(orderId)).toEqual(['inventory.rejected', 'inventory.reserved']);
  });

  it('merges duplicate lines and checks their total', async () => {
    const item = sku('dupes');
    await inventory.call('setStock', { sku: item, onHand: 3, reason: '' });
    const [tooMany, fits] = [randomUUID(), randomUUID()];
    await send([reserve(tooMany, [{ sku: item, quantity: 2 }, { sku: item, quantity: 2 }])]);
    expect((await reply('inventory.rejected', tooMany)).payload).toMatchObject({ shortSkus: [item] });
    await send([reserve(fits, [{ sku: item, quantity: 1 }, { sku: item, quantity: 2 }])]);
    expect((await reply('inventory.reserved', fits)).payload).toMatchObject({ lines: [{ sku: item, quantity: 3 }] });
    expect((await inventory.call('getReservation', { orderId: fits })).lines).toEqual([{ sku: item, quantity: 3 }]);
    expect(await level(item)).toMatchObject({ reserved: 3, available: 0 });
  });

  it('keeps the first reservation of an order, however often and however differently it is asked again', async () => {
    const item = sku('idem');
    await inventory.call('setStock', { sku: item, onHand: 10, reason: '' });
    const orderId = randomUUID();
    const first = reserve(orderId, [{ sku: item, quantity: 2 }]);
    // Delivered twice, as at-least-once delivery may.
    await send([first, first]);
    const reserved = await reply('inventory.reserved', orderId);
    // Asked again later, even for other lines: the first answer is the answer.
    await send([reserve(orderId, [{ sku: item, quantity: 5 }]), first]);
    await handled(orderId);
    expect(await inventory.call('getReservation', { orderId })).toMatchObject({
      id: (reserved.payload as { reservationId: string }).reservationId,
      status: 'active',
      lines: [{ sku: item, quantity: 2 }],
    });
    expect(await written(orderId)).toEqual(['inventory.reserved']);
    expect(await level(item)).toMatchObject({ onHand: 10, reserved: 2 });

    // A burst of retries for one order.
    const racedId = randomUUID();
    await send(Array.from({ length: 20 }, () => reserve(racedId, [{ sku: item, quantity: 3 }])));
    await reply('inventory.reserved', racedId);
    await handled(racedId);
    expect(await written(racedId)).toEqual(['inventory.reserved']);
    expect(await level(item)).toMatchObject({ onHand: 10, reserved: 5 });

    // The same order under different keys, for different SKUs: neither the key's order nor the
    // stock locks serialise these; the unique order id still lets one reservation through.
    const other = sku('idem-other');
    await inventory.call('setStock', { sku: other, onHand: 10, reason: '' });
    const splitId = randomUUID();
    const keys = Array.from({ length: 10 }, () => randomUUID());
    await Promise.all(keys.map((key, i) => send([reserve(splitId, [{ sku: i % 2 ? item : other, quantity: 1 }])], key)));
    await Promise.all(keys.map((key) => handled(key)));
    expect(await written(splitId)).toEqual(['inventory.reserved']);
    expect((await inventory.call('getReservation', { orderId: splitId })).lines).toHaveLength(1);
    const stock = await inventory.call('getStock', { skus: [item, other] });
    expect(stock.levels.reduce((sum, l) => sum + l.reserved, 0)).toBe(6);
    expect(received.filter((r) => r.topic === DEAD_LETTER_TOPIC && r.event.aggregateId === splitId)).toEqual([]);
    await expectLedgerMatches(pg, item);
    await expectLedgerMatches(pg, other);
  });

  it('commits and releases idempotently, gives back the units of a committed order when released, and never commits what was released', async () => {
    const item = sku('life');
    await inventory.call('setStock', { sku: item, onHand: 10, reason: '' });
    const sold = randomUUID();
    await send([reserve(sold, [{ sku: item, quantity: 3 }])]);
    const reservationId = ((await reply('inventory.reserved', sold)).payload as { reservationId: string }).reservationId;
    const paid = commit(sold);
    await send([paid, paid, commit(sold)]);
    // Each event carries its SKUs' levels after it, and the stock row's version: set 1, reserved 2, committed 3.
    expect((await reply('inventory.committed', sold)).payload).toEqual({ orderId: sold, reservationId, levels: [{ sku: item, onHand: 7, reserved: 0, available: 7, version: 3 }] });
    await handled(sold);
    expect(await inventory.call('getReservation', { orderId: sold })).toMatchObject({ status: 'committed' });
    expect(await written(sold)).toEqual(['inventory.reserved', 'inventory.committed']);
    expect(await level(item)).toEqual({ sku: item, onHand: 7, reserved: 0, available: 7 });

    const cancelled = randomUUID();
    await send([reserve(cancelled, [{ sku: item, quantity: 4 }])]);
    const cancelledId = ((await reply('inventory.reserved', cancelled)).payload as { reservationId: string }).reservationId;
    expect(await level(item)).toMatchObject({ reserved: 4, available: 3 });
    const failed = release(cancelled, 'payment failed');
    await send([failed, failed, release(cancelled, 'again')]);
    expect((await reply('inventory.released', cancelled)).payload).toEqual({
      orderId: cancelled,
      reservationId: cancelledId,
      reason: 'payment failed',
      lines: [{ sku: item, quantity: 4 }],
      levels: [{ sku: item, onHand: 7, reserved: 0, available: 7, version: 5 }],
    });
    // Paid after all, too late: refused (logged for a person to look at), nothing changes.
    await send([commit(cancelled)]);
    await handled(cancelled);
    expect(await inventory.call('getReservation', { orderId: cancelled })).toMatchObject({ status: 'released' });
    expect(await written(cancelled)).toEqual(['inventory.reserved', 'inventory.released']);
    expect(await level(item)).toEqual({ sku: item, onHand: 7, reserved: 0, available: 7 });

    // A paid order cancelled before it shipped: its sold units come back on hand, once.
    await send([release(sold, 'cancelled before shipment'), release(sold, 'again')]);
    expect((await reply('inventory.released', sold)).payload).toEqual({
      orderId: sold,
      reservationId,
      reason: 'cancelled before shipment',
      lines: [{ sku: item, quantity: 3 }],
      levels: [{ sku: item, onHand: 10, reserved: 0, available: 10, version: 6 }],
    });
    await handled(sold);
    expect(await inventory.call('getReservation', { orderId: sold })).toMatchObject({ status: 'returned' });
    expect(await written(sold)).toEqual(['inventory.reserved', 'inventory.committed', 'inventory.released']);
    expect(await level(item)).toEqual({ sku: item, onHand: 10, reserved: 0, available: 10 });

    // Nothing held for this order: acknowledged, nothing changes, nothing is dead-lettered.
    const nobody = randomUUID();
    await send([commit(nobody), release(nobody, '')]);
    await handled(nobody);
    expect(await grpcCode(inventory.call('getReservation', { orderId: nobody }))).toBe(status.NOT_FOUND);
    expect(await written(nobody)).toEqual([]);
    expect(received.filter((r) => r.event.aggregateId === nobody)).toEqual([]);

    const kinds = (await inventory.call('listMovements', { sku: item, page: 1, limit: 10 })).items.map((m) => [m.kind, m.onHandDelta, m.reservedDelta]);
    expect(kinds).toEqual([
      ['return', 3, 0],
      ['release', 0, -4],
      ['reserve', 0, 4],
      ['commit', -3, -3],
      ['reserve', 0, 3],
      ['set', 10, 0],
    ]);
    await expectLedgerMatches(pg, item);
  });

  it('expires reservations nobody committed, giving their stock back', async () => {
    const item = sku('expiring');
    await inventory.call('setStock', { sku: item, onHand: 4, reason: '' });
    const orderId = randomUUID();
    await send([reserve(orderId, [{ sku: item, quantity: 4 }])]);
    const reserved = await reply('inventory.reserved', orderId);
    const reservation = await inventory.call('getReservation', { orderId });
    expect((reserved.payload as { expiresAt: string }).expiresAt).toBe(reservation.expiresAt);
    const held = new Date(reservation.expiresAt).getTime() - new Date(reservation.createdAt).getTime();
    expect(Math.abs(held - TTL_SECONDS * 1000)).toBeLessThan(5000);
    expect(await level(item)).toMatchObject({ available: 0 });
    // Its time is up, as if TTL_SECONDS had passed: the sweeper gives its units back.
    await pg.query(`UPDATE reservations SET expires_at = now() - interval '1 second' WHERE order_id = $1`, [orderId]);
    const expired = await reservationIn(orderId, 'expired');
    expect(expired.id).toBe(reservation.id);
    expect(await level(item)).toEqual({ sku: item, onHand: 4, reserved: 0, available: 4 });
    expect((await reply('inventory.released', orderId)).payload).toEqual({
      orderId,
      reservationId: reservation.id,
      reason: 'expired',
      lines: [{ sku: item, quantity: 4 }],
      levels: [{ sku: item, onHand: 4, reserved: 0, available: 4, version: 3 }],
    });
    // Paid too late: refused; released late: given back already. Nothing changes.
    await send([commit(orderId), release(orderId, 'late')]);
    await handled(orderId);
    expect((await inventory.call('getReservation', { orderId })).status).toBe('expired');
    expect(await written(orderId)).toEqual(['inventory.reserved', 'inventory.released']);
    expect(await level(item)).toEqual({ sku: item, onHand: 4, reserved: 0, available: 4 });
    const movements = await inventory.call('listMovements', { sku: item, page: 1, limit: 1 });
    expect(movements.items[0]).toMatchObject({ kind: 'expire', reservedDelta: -4, reason: 'expired', reference: orderId });
    await expectLedgerMatches(pg, item);
  });

  it('dead-letters commands its schema refuses, with the reason, and changes nothing', async () => {
    const item = sku('schema');
    await inventory.call('setStock', { sku: item, onHand: 10, reason: '' });
    const line = { sku: item, quantity: 1 };
    const orderId = randomUUID();
    const refused: Array<[IntegrationEvent, string]> = [
      [malformed('inventory.reserve', { orderId: 'order-1', lines: [line] }), 'invalid inventory.reserve payload: orderId:'],
      [malformed('inventory.reserve', { orderId, lines: [] }), 'invalid inventory.reserve payload: lines:'],
      [malformed('inventory.reserve', { orderId }), 'invalid inventory.reserve payload: lines:'],
      [malformed('inventory.reserve', { orderId, lines: [{ sku: item, quantity: 0 }] }), 'invalid inventory.reserve payload: lines.0.quantity:'],
      [malformed('inventory.reserve', { orderId, lines: [line, { sku: item, quantity: -2 }] }), 'invalid inventory.reserve payload: lines.1.quantity:'],
      [malformed('inventory.reserve', { orderId, lines: [{ sku: item, quantity: 1.5 }] }), 'invalid inventory.reserve payload: lines.0.quantity:'],
      [malformed('inventory.reserve', { orderId, lines: [{ sku: '', quantity: 1 }] }), 'invalid inventory.reserve payload: lines.0.sku:'],
      [malformed('inventory.reserve', { orderId, lines: [{ quantity: 1 }] }), 'invalid inventory.reserve payload: lines.0.sku:'],
      [{ ...reserve(orderId, [line]), version: 2 }, 'inventory.reserve v2 is not understood'],
      [malformed('inventory.commit', { orderId: '' }), 'invalid inventory.commit payload: orderId:'],
      [malformed('inventory.release', { orderId }), 'invalid inventory.release payload: reason:'],
    ];
    await send(refused.map(([command]) => command));
    for (const [command, reason] of refused) {
      const dead = await deadLetter(command);
      expect(dead.headers['x-dead-letter-reason']).toContain(reason);
      expect(dead.headers).toMatchObject({ 'x-original-topic': COMMAND_TOPIC, 'x-dead-letter-group': `${prefix}${CHECKOUT_COMMANDS_CONSUMER}` });
      expect(dead.event).toEqual(command);
    }
    expect(await level(item)).toEqual({ sku: item, onHand: 10, reserved: 0, available: 10 });
    expect(await grpcCode(inventory.call('getReservation', { orderId }))).toBe(status.NOT_FOUND);
    expect(await written(orderId)).toEqual([]);
  });

  it('rejects lines its schema allows but no reservation can be made for, saying why', async () => {
    const item = sku('bounded');
    await inventory.call('setStock', { sku: item, onHand: 10, reason: '' });
    const cases: Array<[Line[], string]> = [
      [[{ sku: 'x'.repeat(65), quantity: 1 }], 'lines[0].sku is longer than 64 characters'],
      [[{ sku: '   ', quantity: 1 }], 'lines[0].sku is required'],
      [[{ sku: item, quantity: 10_001 }], 'lines[0].quantity must be a whole number from 1 to 10000'],
      [Array.from({ length: 101 }, (_, i) => ({ sku: `${item}-${i}`, quantity: 1 })), 'a reservation holds at most 100 lines'],
      [[{ sku: item, quantity: 6000 }, { sku: item, quantity: 6000 }], `the lines ask for more than 10000 of ${item}`],
    ];
    const orderIds = cases.map(() => randomUUID());
    await send(cases.map(([lines], i) => reserve(orderIds[i]!, lines)));
    for (const [i, [, reason]] of cases.entries()) {
      expect((await reply('inventory.rejected', orderIds[i]!)).payload).toEqual({ orderId: orderIds[i], shortSkus: [], reason });
    }
    expect(await level(item)).toEqual({ sku: item, onHand: 10, reserved: 0, available: 10 });
    const { rows } = await pg.query('SELECT count(*)::int AS n FROM reservations WHERE order_id = ANY($1::text[])', [orderIds]);
    expect(rows[0].n).toBe(0);
  });

  it("follows each order's commands in the order given, and a rejection or an unknown order holds up nothing", async () => {
    const item = sku('saga');
    await inventory.call('setStock', { sku: item, onHand: 5, reason: '' });
    const [short, paid, gone, never, quick, last] = Array.from({ length: 6 }, () => randomUUID());
    const paidReserve = reserve(paid, [{ sku: item, quantity: 2 }]);
    await send([
      // Out of stock first: answered, so the commands behind it still flow.
      reserve(short, [{ sku: item, quantity: 6 }]),
      paidReserve,
      paidReserve,
      paidReserve,
      reserve(gone, [{ sku: item, quantity: 1 }]),
      // Nothing held for this one: acknowledged.
      release(never, 'changed my mind'),
      // Reserved and released at once: in that order.
      reserve(quick, [{ sku: item, quantity: 1 }]),
      release(quick, 'checkout timed out'),
    ]);
    await reply('inventory.rejected', short);
    await reservationIn(paid, 'active');
    await reservationIn(gone, 'active');
    await reservationIn(quick, 'released');
    expect(await level(item)).toMatchObject({ onHand: 5, reserved: 3 });

    await send([commit(paid), release(gone, 'payment failed')]);
    await reservationIn(paid, 'committed');
    await reservationIn(gone, 'released');
    await send([release(paid, 'late'), release(paid, 'late')]);
    await reservationIn(paid, 'returned');
    await send([reserve(last, [{ sku: item, quantity: 3 }])]);
    await reservationIn(last, 'active');
    expect(await level(item)).toEqual({ sku: item, onHand: 5, reserved: 3, available: 2 });
    await handled(never);
    expect(await written(never)).toEqual([]);
    await expectLedgerMatches(pg, item);
  });

  it('keeps every ledger equal to its stock row', async () => {
    expect(await skusOffTheirLedger(pg)).toEqual([]);
    const { rows: count } = await pg.query('SELECT count(*)::int AS n FROM stock_items');
    expect(count[0].n).toBeGreaterThan(10);
  });
});
