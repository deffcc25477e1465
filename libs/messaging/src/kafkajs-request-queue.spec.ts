import { loadKafkaRequestQueue, stopIdleRequestQueueTimers } from './kafkajs-request-queue';

type Queue = {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  maybeThrottle(ms: number): void;
  push(request: unknown): void;
  destroy(): void;
};

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function newQueue(): Queue {
  const RequestQueue = loadKafkaRequestQueue() as unknown as new (options: object) => Queue;
  return new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'spec', broker: 'localhost:9092', logger: silent });
}

describe('kafkajs request queue timers', () => {
  beforeAll(() => stopIdleRequestQueueTimers());

  it('sets no timer after a check that found nothing waiting (kafkajs 2.2.4 set a 1 ms one, again and again)', () => {
    const queue = newQueue();
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('still schedules a check while a request waits behind a throttle', () => {
    const queue = newQueue();
    queue.maybeThrottle(50);
    queue.pending.push({ send: () => undefined });
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(queue.throttleCheckTimeoutId!);
  });

  it('is applied once however often it is called', () => {
    const prototype = loadKafkaRequestQueue().prototype;
    const fixed = prototype.scheduleCheckPendingRequests;
    stopIdleRequestQueueTimers();
    expect(prototype.scheduleCheckPendingRequests).toBe(fixed);
  });
});
