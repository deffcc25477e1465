import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createEvent } from '@shop/contracts';
import pino from 'pino';
import { deliverBatch } from './delivery';
import { EventConsumer } from './event-consumer';
import type { InboundMessage } from './event-bus';
import { traceSend } from './messaging-tracing';
import { toOutboxRow } from './outbox';

let enabled = true;
// startTracing would start a whole SDK; the test sets up its own provider and says whether tracing is on.
jest.mock('../../observability/src/tracing', () => ({ ...jest.requireActual('../../observability/src/tracing'), tracingEnabled: () => enabled }));

const exporter = new InMemorySpanExporter();
const ORDER = '0b9c8f7e-1d2c-4b3a-8f9e-0a1b2c3d4e5f';
const OTHER = '1b9c8f7e-1d2c-4b3a-8f9e-0a1b2c3d4e5f';

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
});
afterAll(() => {
  trace.disable();
  propagation.disable();
  context.disable();
});
beforeEach(() => {
  enabled = true;
  exporter.reset();
});

const spans = () => exporter.getFinishedSpans();
const named = (name: string): ReadableSpan[] => spans().filter((span) => span.name === name);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const traceparentOf = (headers: Record<string, string>) => trace.getSpanContext(propagation.extract(ROOT_CONTEXT, headers));

/** A message as a consumer receives it: the outbox row as the relay sent it. */
function received(event: Parameters<typeof toOutboxRow>[0]): InboundMessage {
  const row = toOutboxRow(event);
  return { topic: row.topic, key: row.key, value: JSON.stringify(row.payload), headers: row.headers };
}

describe('message tracing through the outbox and the bus', () => {
  it('writes a create span’s context into the outbox headers, as a child of the request’s span', () => {
    const request = trace.getTracer('test').startSpan('PlaceOrder', { kind: SpanKind.SERVER });
    const row = context.with(trace.setSpan(context.active(), request), () => toOutboxRow(createEvent('order.cancelled', ORDER, { orderId: ORDER, reason: 'x' })));
    request.end();
    const [create] = named('create order.cancelled');
    expect(create).toBeDefined();
    expect(create!.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(create!)).toBe(request.spanContext().spanId);
    expect(create!.attributes).toMatchObject({ 'messaging.operation.type': 'create', 'messaging.destination.name': 'order.cancelled', 'messaging.message.id': row.id });
    expect(traceparentOf(row.headers)).toMatchObject({ traceId: request.spanContext().traceId, spanId: create!.spanContext().spanId });
  });

  it('continues each message’s trace in a process span; a batch handler’s outbox rows continue the trace of their key', async () => {
    const first = trace.getTracer('test').startSpan('request one');
    const second = trace.getTracer('test').startSpan('request two');
    const reserve = context.with(trace.setSpan(ROOT_CONTEXT, first), () =>
      received(createEvent('inventory.reserve', ORDER, { orderId: ORDER, lines: [{ sku: 'MUG', quantity: 1 }] } as never)),
    );
    const other = context.with(trace.setSpan(ROOT_CONTEXT, second), () =>
      received(createEvent('inventory.reserve', OTHER, { orderId: OTHER, lines: [{ sku: 'MUG', quantity: 1 }] } as never)),
    );
    first.end();
    second.end();
    const replies: Record<string, string>[] = [];
    let singles = 0;
    const consumer = new EventConsumer('inventory')
      .onBatch('inventory.reserve', async (events) => {
        // Written in one transaction for the whole batch, as the reservations' batch handler does.
        for (const event of events) replies.push(toOutboxRow(createEvent('inventory.rejected', event.aggregateId, { orderId: event.aggregateId, shortSkus: ['MUG'], reason: 'none' })).headers);
      })
      .on('inventory.release', async () => void (singles += 1));
    const release = context.with(trace.setSpan(ROOT_CONTEXT, first), () => received(createEvent('inventory.release', OTHER, { orderId: OTHER, reason: 'x' })));
    const subscription = consumer.subscription();
    await deliverBatch('inventory', [reserve, other, release], subscription.handler, {
      logger: pino({ level: 'silent' }),
      system: 'kafka',
      publishDeadLetter: async () => undefined,
      batchHandler: subscription.batchHandler,
      batchInOrder: subscription.batchInOrder,
    });
    // A type with a handler of its own is processed once, by that handler, not by the batch too.
    expect(singles).toBe(1);
    expect(named('process inventory.commands').filter((span) => span.attributes['shop.event.type'] === 'inventory.release')).toHaveLength(1);
    const processes = named('process inventory.commands').filter((span) => span.attributes['shop.event.type'] === 'inventory.reserve');
    expect(processes).toHaveLength(2);
    for (const process of processes) {
      expect(process.kind).toBe(SpanKind.CONSUMER);
      expect(process.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.consumer.group.name': 'inventory', 'messaging.operation.type': 'process' });
    }
    const forOrder = processes.find((span) => span.attributes['messaging.kafka.message.key'] === ORDER)!;
    expect(forOrder.spanContext().traceId).toBe(first.spanContext().traceId);
    expect(parentOf(forOrder)).toBe(traceparentOf(reserve.headers)!.spanId);
    const forOther = processes.find((span) => span.attributes['messaging.kafka.message.key'] === OTHER)!;
    expect(forOther.spanContext().traceId).toBe(second.spanContext().traceId);
    // Each reply's create span is a child of the process span of the message with its key.
    const creates = named('create inventory.rejected');
    expect(creates.map((span) => [span.spanContext().traceId, parentOf(span)]).sort()).toEqual(
      [
        [first.spanContext().traceId, forOrder.spanContext().spanId],
        [second.spanContext().traceId, forOther.spanContext().spanId],
      ].sort(),
    );
    expect(replies.map((headers) => traceparentOf(headers)!.traceId).sort()).toEqual([first.spanContext().traceId, second.spanContext().traceId].sort());
  });

  it('sends a batch in a client span linked to each message; one trace’s batch is part of that trace', async () => {
    const request = trace.getTracer('test').startSpan('request');
    const message = context.with(trace.setSpan(ROOT_CONTEXT, request), () => received(createEvent('order.cancelled', ORDER, { orderId: ORDER, reason: 'x' })));
    request.end();
    await traceSend('kafka', [message], async () => undefined);
    const [send] = named('send order.cancelled');
    expect(send!.kind).toBe(SpanKind.CLIENT);
    expect(send!.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(send!.links.map((link) => link.context.spanId)).toEqual([traceparentOf(message.headers)!.spanId]);
    expect(send!.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.batch.message_count': 1, 'messaging.destination.name': 'order.cancelled' });

    const other = context.with(trace.setSpan(ROOT_CONTEXT, trace.getTracer('test').startSpan('another request')), () =>
      received(createEvent('order.cancelled', OTHER, { orderId: OTHER, reason: 'y' })),
    );
    await expect(traceSend('kafka', [message, other], async () => Promise.reject(new Error('broker away')))).rejects.toThrow('broker away');
    const [mixed] = named('send order.cancelled').filter((span) => span.links.length === 2);
    expect(mixed!.parentSpanContext).toBeUndefined();
    expect(mixed!.status.code).toBe(2);
  });

  it('makes no span and writes no trace header while tracing is off', async () => {
    enabled = false;
    const request = trace.getTracer('test').startSpan('request');
    const message = context.with(trace.setSpan(ROOT_CONTEXT, request), () => received(createEvent('order.cancelled', ORDER, { orderId: ORDER, reason: 'x' })));
    request.end();
    expect(Object.keys(message.headers).sort()).toEqual(['event-id', 'event-type', 'event-version']);
    await traceSend('kafka', [message], async () => undefined);
    await deliverBatch('group', [message], async () => undefined, { logger: pino({ level: 'silent' }), publishDeadLetter: async () => undefined });
    expect(spans().map((span) => span.name)).toEqual(['request']);
  });
});
