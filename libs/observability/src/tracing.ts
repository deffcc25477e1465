import type { NodeSDK } from '@opentelemetry/sdk-node';

let sdk: NodeSDK | undefined;

/**
 * True once startTracing has started the SDK. Code that makes its own spans (the outbox, the relay,
 * event consumers) asks this first and does nothing at all while tracing is off: no span objects,
 * no attributes, no header parsing on the hot path.
 */
export function tracingEnabled(): boolean {
  return sdk !== undefined;
}

/**
 * Starts tracing before the service's modules load, so HTTP, gRPC, pg (Prisma goes through pg's
 * driver adapter) and ioredis are instrumented and W3C trace context flows gateway -> services, when
 * OTEL_EXPORTER_OTLP_ENDPOINT says where spans go; the logs then carry trace ids. Events carry it
 * further: the outbox writes it into each message's headers and consumers continue it (libs/messaging).
 * Without the endpoint nothing would read a span, and instrumenting every request cost the gateway a
 * third of its time per answer: tracing stays off, and the request id (X-Request-Id, passed on over
 * gRPC) ties one request's logs together across services.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): void {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (sdk || env.OTEL_SDK_DISABLED === 'true' || !endpoint) return;
  // Required here, not imported above: see tracing-sdk.ts.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createTracingSdk } = require('./tracing-sdk') as typeof import('./tracing-sdk');
  sdk = createTracingSdk(serviceName, endpoint, env);
  sdk.start();
}

export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
}
