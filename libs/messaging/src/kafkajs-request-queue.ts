/**
 * kafkajs 2.2.4 (its last release) spins every broker connection's request queue on a 1 ms timer
 * for good once the connection has answered a request: `scheduleCheckPendingRequests` computes
 * `throttledUntil - Date.now()`, negative when nothing throttles, and sets a timer with it even when
 * no request waits (tulios/kafkajs#1556, #1704; the fix in #1667 and #1768 was never released). With
 * a producer and a few consumers, every service spent about 2 % of a core doing nothing, and more
 * under load, where those timers compete with the work. A check is scheduled only when a request
 * waits or a throttle runs, which is what the method's own comment says it is for.
 */
interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests(this: RequestQueueInternals): void;
}

type RequestQueueClass = { prototype: RequestQueueInternals & { [FIXED]?: true } };

const FIXED = Symbol.for('shop.messaging.kafkajs-request-queue-fixed');

export function loadKafkaRequestQueue(): RequestQueueClass {
  // Not part of kafkajs' typed API: its request queue, which every broker connection owns.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('kafkajs/src/network/requestQueue') as RequestQueueClass;
}

/** Idempotent: a second call (another bus in the same process) changes nothing. */
export function stopIdleRequestQueueTimers(requestQueue: RequestQueueClass = loadKafkaRequestQueue()): void {
  const prototype = requestQueue.prototype;
  if (prototype[FIXED]) return;
  const schedule = prototype.scheduleCheckPendingRequests;
  prototype.scheduleCheckPendingRequests = function (this: RequestQueueInternals) {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    schedule.call(this);
  };
  prototype[FIXED] = true;
}
