import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { NotificationItemV1 } from '@shop/contracts';
import { createLogger, ServiceMetrics } from '@shop/observability';
import type { GatewayConfig } from '../config';
import { notificationFrame, NotificationStreams } from './notification-streams';

/** A response that records what was written. */
class FakeResponse extends EventEmitter {
  readonly frames: string[] = [];
  writableLength = 0;
  destroyed = false;
  ended = false;
  write(chunk: string): boolean {
    this.frames.push(chunk);
    return true;
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
  ids(): number[] {
    return this.frames.filter((frame) => frame.startsWith('id: ')).map((frame) => Number(/^id: (\d+)/.exec(frame)![1]));
  }
}

const item = (n: number): NotificationItemV1 => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  type: 'order.shipped',
  title: `Order ${n} shipped`,
  body: 'On its way.',
  data: { n },
  readAt: null,
  createdAt: new Date(0).toISOString(),
});

const event = (userId: string, seq: number) => ({ userId, seq, notification: item(seq) });

describe('NotificationStreams', () => {
  let streams: NotificationStreams;
  const config = { NOTIFICATION_STREAMS_PER_USER: 2, NOTIFICATION_STREAM_HEARTBEAT_SECONDS: 3600, NOTIFICATION_STREAM_MAX_SECONDS: 900 } as GatewayConfig;

  beforeEach(() => {
    streams = new NotificationStreams(config, createLogger('test', 'silent'), new ServiceMetrics('gateway-test'));
  });
  afterEach(() => streams.onModuleDestroy());

  const open = (userId: string, lastSeq = 0, missed: number[] = []) => {
    const res = new FakeResponse();
    const stream = streams.register(userId, lastSeq);
    streams.attach(stream, res as unknown as ServerResponse, missed.map((seq) => ({ seq, item: item(seq) })));
    return { res, stream };
  };

  it('writes an SSE frame: id, event, the item as data', () => {
    expect(notificationFrame(7, item(7))).toBe(`id: 7\nevent: notification\ndata: ${JSON.stringify(item(7))}\n\n`);
  });

  it('sends a user’s notifications to each of their streams only, once each, in order', () => {
    const ada = open('ada');
    const ada2 = open('ada');
    const bob = open('bob');
    streams.publish(event('ada', 1));
    streams.publish(event('ada', 2));
    streams.publish(event('ada', 2)); // delivered again by the bus
    streams.publish(event('bob', 1));
    expect(ada.res.ids()).toEqual([1, 2]);
    expect(ada2.res.ids()).toEqual([1, 2]);
    expect(bob.res.ids()).toEqual([1]);
    expect(streams.size).toBe(3);
  });

  it('resumes: what was missed first, then what arrived while it was read, nothing twice', () => {
    const res = new FakeResponse();
    const stream = streams.register('ada', 3);
    // Live notifications arrive while the missed ones (4, 5) are being read.
    streams.publish(event('ada', 6));
    streams.publish(event('ada', 5));
    streams.attach(stream, res as unknown as ServerResponse, [4, 5].map((seq) => ({ seq, item: item(seq) })));
    streams.publish(event('ada', 7));
    expect(res.ids()).toEqual([4, 5, 6, 7]);
  });

  it('skips what is at or before Last-Event-ID', () => {
    const { res } = open('ada', 5);
    streams.publish(event('ada', 5));
    streams.publish(event('ada', 6));
    expect(res.ids()).toEqual([6]);
  });

  it('closes a user’s oldest stream past the limit, and forgets closed streams', () => {
    const first = open('ada');
    const second = open('ada');
    const third = open('ada');
    expect(first.res.ended).toBe(true);
    expect(streams.size).toBe(2);
    streams.remove(second.stream);
    streams.remove(second.stream);
    expect(streams.size).toBe(1);
    streams.publish(event('ada', 1));
    expect(second.res.ids()).toEqual([]);
    expect(third.res.ids()).toEqual([1]);
  });

  it('cuts off a client that stopped reading', () => {
    const { res } = open('ada');
    res.writableLength = 2 * 1024 * 1024;
    streams.publish(event('ada', 1));
    expect(res.destroyed).toBe(true);
    expect(streams.size).toBe(0);
  });

  it('does not keep a stream whose client left before it was attached', () => {
    const res = new FakeResponse();
    res.destroyed = true;
    const stream = streams.register('ada', 0);
    streams.attach(stream, res as unknown as ServerResponse, []);
    expect(streams.size).toBe(0);
  });

  it('beats the heart of every stream and ends those open longer than allowed', () => {
    const { res } = open('ada');
    streams.beat();
    expect(res.frames.filter((frame) => frame === ': heartbeat\n\n')).toHaveLength(1);
    expect(res.ended).toBe(false);
    streams.beat(Date.now() + 901_000);
    expect(res.ended).toBe(true);
    expect(streams.size).toBe(0);
  });

  it('ends every stream when the gateway stops', () => {
    const a = open('ada');
    const b = open('bob');
    streams.onModuleDestroy();
    expect([a.res.ended, b.res.ended]).toEqual([true, true]);
    expect(streams.size).toBe(0);
  });
});
