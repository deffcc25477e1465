import { createEvent, type IntegrationEvent } from '@shop/contracts';
import { UndeliverableMessageError } from './delivery';
import type { Delivery, InboundMessage } from './event-bus';
import { EventConsumer } from './event-consumer';

const ORDER_ID = '0b9c8f7e-1d2c-4b3a-8f9e-0a1b2c3d4e5f';
const message = (event: IntegrationEvent): InboundMessage => ({ topic: event.type, key: event.aggregateId, value: JSON.stringify(event), headers: {} });
const delivery = (event: IntegrationEvent): Delivery => ({ event, message: message(event) });

const reserved = () =>
  createEvent('inventory.reserved', ORDER_ID, { orderId: ORDER_ID, reservationId: 'r-1', lines: [{ sku: 'MUG', quantity: 1 }], expiresAt: '2026-01-01T00:00:00Z' });
const reserve = (orderId = ORDER_ID) => createEvent('inventory.reserve', orderId, { orderId, lines: [{ sku: 'MUG', quantity: 1 }] });

describe('EventConsumer', () => {
  it('subscribes to the topics its types travel on, commands on their participant topic', () => {
    const consumer = new EventConsumer('group')
      .on('inventory.reserved', async () => undefined)
      .on('inventory.reserve', async () => undefined)
      .on('inventory.release', async () => undefined);
    expect(consumer.subscription()).toMatchObject({ groupId: 'group', topics: ['inventory.reserved', 'inventory.commands'] });
  });

  it('hands a handler the payload it declared, checked against the schema', async () => {
    const seen: string[] = [];
    const consumer = new EventConsumer('group').on('inventory.reserved', async (event) => void seen.push(event.payload.lines[0]!.sku));
    const event = reserved();
    await consumer.dispatch(event, message(event));
    expect(seen).toEqual(['MUG']);
  });

  it('refuses a payload that does not fit its schema, or a version it does not know, without calling the handler', async () => {
    const handler = jest.fn(async () => undefined);
    const consumer = new EventConsumer('group').on('inventory.reserved', handler);
    const wrongShape = { ...reserved(), payload: { orderId: ORDER_ID, lines: 'MUG' } };
    await expect(consumer.dispatch(wrongShape, message(wrongShape))).rejects.toThrow(UndeliverableMessageError);
    await expect(consumer.dispatch(wrongShape, message(wrongShape))).rejects.toThrow(/invalid inventory.reserved payload: reservationId/);
    const newer = { ...reserved(), version: 2 };
    await expect(consumer.dispatch(newer, message(newer))).rejects.toThrow(/v2 is not understood/);
    expect(handler).not.toHaveBeenCalled();
  });

  it('acknowledges types it does not handle', async () => {
    const consumer = new EventConsumer('group').on('inventory.reserve', async () => undefined);
    const other = createEvent('inventory.commit', ORDER_ID, { orderId: ORDER_ID });
    await expect(consumer.dispatch(other, message(other))).resolves.toBeUndefined();
    const unknown = { ...other, type: 'inventory.teleport' };
    await expect(consumer.dispatch(unknown, message(unknown))).resolves.toBeUndefined();
  });

  it('gives a batch handler every valid event of its type at once and leaves the rest for one-by-one delivery', async () => {
    const batches: string[][] = [];
    const single = jest.fn(async () => undefined);
    const consumer = new EventConsumer('group')
      .onBatch('inventory.reserve', async (events) => void batches.push(events.map((event) => event.payload.orderId)))
      .on('inventory.commit', single);
    const second = '1b9c8f7e-1d2c-4b3a-8f9e-0a1b2c3d4e5f';
    const invalid = { ...reserve(), payload: { orderId: ORDER_ID } };
    const commit = createEvent('inventory.commit', ORDER_ID, { orderId: ORDER_ID });
    const rest = await consumer.dispatchBatch([delivery(reserve()), delivery(reserve(second)), delivery(invalid), delivery(commit)]);
    expect(batches).toEqual([[ORDER_ID, second]]);
    expect(rest.map((each) => each.event)).toEqual([invalid, commit]);
    expect(single).not.toHaveBeenCalled();
  });

  it('leaves a failed batch for one-by-one delivery, where the batch handler takes each event alone', async () => {
    const calls: number[] = [];
    const consumer = new EventConsumer('group').onBatch('inventory.reserve', async (events) => {
      calls.push(events.length);
      if (events.length > 1) throw new Error('one of them is poison');
    });
    const batch = [delivery(reserve()), delivery(reserve('1b9c8f7e-1d2c-4b3a-8f9e-0a1b2c3d4e5f'))];
    const rest = await consumer.dispatchBatch(batch);
    expect(rest).toEqual(batch);
    for (const each of rest) await consumer.dispatch(each.event, each.message);
    expect(calls).toEqual([2, 1, 1]);
  });

  it('gives an in-order handler every type it takes in one call, in delivery order, and takes whole batches', async () => {
    const calls: string[][] = [];
    const consumer = new EventConsumer('group').onBatchInOrder(['inventory.reserve', 'inventory.commit'], async (events) => void calls.push(events.map((event) => event.type)));
    const commit = createEvent('inventory.commit', ORDER_ID, { orderId: ORDER_ID });
    expect(await consumer.dispatchBatch([delivery(reserve()), delivery(commit)])).toEqual([]);
    expect(calls).toEqual([['inventory.reserve', 'inventory.commit']]);
    expect(consumer.subscription().batchInOrder).toBe(true);
    expect(new EventConsumer('other').onBatch('inventory.reserve', async () => undefined).subscription().batchInOrder).toBe(false);
  });
});
