import { createEvent } from '@shop/contracts';
import pino from 'pino';
import { deliverBatch, type DeliveryDeps } from './delivery';
import type { InboundMessage, OutboundMessage } from './event-bus';

const message = (key: string, n: number): InboundMessage => {
  const event = createEvent('order.cancelled', key, { orderId: key, reason: String(n) });
  return { topic: 'order.cancelled', key, value: JSON.stringify(event), headers: {} };
};

const keys = ['0b9c8f7e-1d2c-4b3a-8f9e-0a1b2c3d4e5f', '1b9c8f7e-1d2c-4b3a-8f9e-0a1b2c3d4e5f', '2b9c8f7e-1d2c-4b3a-8f9e-0a1b2c3d4e5f'];
const reasonOf = (value: string) => (JSON.parse(value) as { payload: { reason: string } }).payload.reason;

function deps(dead: OutboundMessage[] = []): DeliveryDeps {
  return { logger: pino({ level: 'silent' }), retry: { maxAttempts: 2, initialBackoffMs: 1, maxBackoffMs: 1 }, publishDeadLetter: async (m) => void dead.push(m) };
}

describe('deliverBatch', () => {
  it('keeps each key in order while keys run side by side', async () => {
    const batch = [message(keys[0]!, 1), message(keys[1]!, 2), message(keys[0]!, 3), message(keys[2]!, 4), message(keys[1]!, 5)];
    const seen = new Map<string, string[]>();
    let running = 0;
    let most = 0;
    await deliverBatch(
      'group',
      batch,
      async (event) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.set(event.aggregateId, [...(seen.get(event.aggregateId) ?? []), (event.payload as { reason: string }).reason]);
        running -= 1;
      },
      deps(),
    );
    expect(Object.fromEntries(seen)).toEqual({ [keys[0]!]: ['1', '3'], [keys[1]!]: ['2', '5'], [keys[2]!]: ['4'] });
    expect(most).toBe(3);
  });

  it('offers a batch handler one message per key at a time, and delivers what it leaves one by one', async () => {
    const batch = [message(keys[0]!, 1), message(keys[1]!, 2), message(keys[0]!, 3)];
    const waves: string[][] = [];
    const single: string[] = [];
    await deliverBatch('group', batch, async (event) => void single.push((event.payload as { reason: string }).reason), {
      ...deps(),
      batchHandler: async (deliveries) => {
        waves.push(deliveries.map((d) => reasonOf(d.message.value)));
        return deliveries.filter((d) => reasonOf(d.message.value) === '2');
      },
    });
    expect(waves).toEqual([['1', '2'], ['3']]);
    expect(single).toEqual(['2']);
  });

  it('dead-letters a message that fails every attempt, and one that is not an event, and goes on', async () => {
    const dead: OutboundMessage[] = [];
    const handled: string[] = [];
    const garbage: InboundMessage = { topic: 'order.cancelled', key: keys[2]!, value: 'not json', headers: {} };
    await deliverBatch(
      'group',
      [message(keys[0]!, 1), garbage, message(keys[1]!, 2)],
      async (event) => {
        if (event.aggregateId === keys[0]) throw new Error('boom');
        handled.push(event.aggregateId);
      },
      deps(dead),
    );
    expect(handled).toEqual([keys[1]]);
    expect(dead.map((m) => [m.topic, m.headers['x-dead-letter-group']])).toEqual([
      ['order.cancelled.dlq', 'group'],
      ['order.cancelled.dlq', 'group'],
    ]);
    expect(dead.map((m) => m.headers['x-dead-letter-reason'])).toEqual(expect.arrayContaining(['boom', expect.stringMatching(/JSON/)]));
  });

  it('gives a batch handler that keeps each key in order the whole batch, several messages per key', async () => {
    const batch = [message(keys[0]!, 1), message(keys[1]!, 2), message(keys[0]!, 3)];
    const calls: string[][] = [];
    await deliverBatch('group', batch, async () => undefined, {
      ...deps(),
      batchInOrder: true,
      batchHandler: async (deliveries) => {
        calls.push(deliveries.map((d) => reasonOf(d.message.value)));
        return [];
      },
    });
    expect(calls).toEqual([['1', '2', '3']]);
  });
});
