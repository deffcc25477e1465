import { type Attributes, type Context, context, createContextKey, type Link, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { tracingEnabled } from '@shop/observability';
import type { Delivery, InboundMessage } from './event-bus';

/**
 * Spans for messages, after OpenTelemetry's messaging semantic conventions: `create <topic>` when a
 * message is written to the outbox (its context goes into the message's headers), `send <topic>` when
 * the relay hands a batch to the bus (linked to each message's creation context), `process <topic>`
 * when a consumer handles it (a child of the context its headers carry). So one request's trace goes on
 * through the outbox and the bus into every service that reacts to it, and on through what they write.
 *
 * While tracing is off (no OTEL_EXPORTER_OTLP_ENDPOINT) every function here returns at its first line:
 * no span, no attributes, no header parsing.
 */
const tracer = () => trace.getTracer('@shop/messaging');

/** The contexts of the messages a batch handler is processing, by key (the aggregate id). */
const CONTEXT_BY_KEY = createContextKey('shop.messaging.process-context-by-key');

const MAX_LINKS = 128;

/**
 * Starts and ends the `create` span of an outbox message and writes its context into the message's
 * headers. Inside a batch handler the message continues the trace of the message with the same key
 * (an order's reply continues that order's command), else the active context's.
 */
export function traceOutboxMessage(headers: Record<string, string>, topic: string, key: string, messageId: string, type: string): void {
  if (!tracingEnabled()) return;
  const active = context.active();
  const parent = (active.getValue(CONTEXT_BY_KEY) as Map<string, Context> | undefined)?.get(key) ?? active;
  const span = tracer().startSpan(`create ${topic}`, { kind: SpanKind.PRODUCER }, parent);
  if (span.isRecording()) {
    span.setAttributes({
      'messaging.operation.type': 'create',
      'messaging.operation.name': 'create',
      'messaging.destination.name': topic,
      'messaging.message.id': messageId,
      'messaging.kafka.message.key': key,
      'shop.event.type': type,
    });
  }
  propagation.inject(trace.setSpan(parent, span), headers);
  span.end();
}

/**
 * Runs `send` (the bus's publish of an outbox batch) in a `send` span linked to every message's
 * creation context; when all of them belong to one trace (one request's events) the span is part of it.
 */
export function traceSend<T>(system: string, messages: ReadonlyArray<{ topic: string; headers: Record<string, string> }>, send: () => Promise<T>): Promise<T> {
  return tracingEnabled() ? sendTraced(system, messages, send) : send();
}

async function sendTraced<T>(system: string, messages: ReadonlyArray<{ topic: string; headers: Record<string, string> }>, send: () => Promise<T>): Promise<T> {
  const links: Link[] = [];
  const traces = new Set<string>();
  let parent: Context = ROOT_CONTEXT;
  for (const message of messages) {
    const created = propagation.extract(ROOT_CONTEXT, message.headers);
    const spanContext = trace.getSpanContext(created);
    if (!spanContext) continue;
    if (traces.size === 0) parent = created;
    traces.add(spanContext.traceId);
    if (links.length < MAX_LINKS) links.push({ context: spanContext });
  }
  if (traces.size > 1) parent = ROOT_CONTEXT;
  const topics = new Set(messages.map((message) => message.topic));
  const destination = topics.size === 1 ? messages[0]!.topic : undefined;
  // A client span: the messages' creation contexts are the `create` spans, not this one.
  const span = tracer().startSpan(destination ? `send ${destination}` : 'send', { kind: SpanKind.CLIENT, links }, parent);
  if (span.isRecording()) {
    const attributes: Attributes = {
      'messaging.system': system,
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.batch.message_count': messages.length,
    };
    if (destination) attributes['messaging.destination.name'] = destination;
    span.setAttributes(attributes);
  }
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await send();
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

function startProcessSpan(system: string, groupId: string, message: InboundMessage): { span: Span; context: Context } {
  const created = propagation.extract(ROOT_CONTEXT, message.headers);
  const spanContext = trace.getSpanContext(created);
  const span = tracer().startSpan(`process ${message.topic}`, { kind: SpanKind.CONSUMER, links: spanContext ? [{ context: spanContext }] : [] }, created);
  if (span.isRecording()) {
    const attributes: Attributes = {
      'messaging.system': system,
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.destination.name': message.topic,
      'messaging.consumer.group.name': groupId,
    };
    if (message.headers['event-id']) attributes['messaging.message.id'] = message.headers['event-id'];
    if (message.headers['event-type']) attributes['shop.event.type'] = message.headers['event-type'];
    if (message.key !== null) attributes['messaging.kafka.message.key'] = message.key;
    span.setAttributes(attributes);
  }
  return { span, context: trace.setSpan(created, span) };
}

function failed(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/**
 * Runs the delivery of one message (its retries, and the dead letter if it comes to that) in a
 * `process` span that continues the message's trace. `work` answers why the message was
 * dead-lettered, or undefined when it was handled.
 */
export function traceProcess(system: string, groupId: string, message: InboundMessage, work: () => Promise<string | undefined>): Promise<unknown> {
  return tracingEnabled() ? processTraced(system, groupId, message, work) : work();
}

async function processTraced(system: string, groupId: string, message: InboundMessage, work: () => Promise<string | undefined>): Promise<void> {
  const { span, context: processing } = startProcessSpan(system, groupId, message);
  await context.with(processing, async () => {
    try {
      const deadLetterReason = await work();
      if (deadLetterReason !== undefined && span.isRecording()) {
        span.setAttribute('shop.messaging.dead_lettered', true);
        span.setStatus({ code: SpanStatusCode.ERROR, message: deadLetterReason.slice(0, 200) });
      }
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs a batch handler with a `process` span per message, each continuing its message's trace; what
 * the handler writes to its outbox for a key continues that key's trace (traceOutboxMessage).
 */
export function traceProcessBatch<T>(system: string, groupId: string, deliveries: Delivery[], work: () => Promise<T>): Promise<T> {
  return tracingEnabled() && deliveries.length > 0 ? processBatchTraced(system, groupId, deliveries, work) : work();
}

async function processBatchTraced<T>(system: string, groupId: string, deliveries: Delivery[], work: () => Promise<T>): Promise<T> {
  const spans: Span[] = [];
  const byKey = new Map<string, Context>();
  let only: Context | undefined;
  for (const { message } of deliveries) {
    const started = startProcessSpan(system, groupId, message);
    spans.push(started.span);
    if (started.span.isRecording()) started.span.setAttribute('messaging.batch.message_count', deliveries.length);
    if (message.key !== null) byKey.set(message.key, started.context);
    only = started.context;
  }
  const base = deliveries.length === 1 && only ? only : context.active();
  try {
    return await context.with(base.setValue(CONTEXT_BY_KEY, byKey), work);
  } catch (error) {
    for (const span of spans) failed(span, error);
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}
