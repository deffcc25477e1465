import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';


/*
 * The OpenTelemetry SDK and its instrumentations, loaded only when tracing is on (tracing.ts asks for
 * this module then): loading them took 40 % of a service's start-up CPU, for nothing while off.
 */

/**
 * The sampler OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG name (the OpenTelemetry SDK
 * environment specification): always_on, always_off, traceidratio, parentbased_always_on (the
 * default), parentbased_always_off, parentbased_traceidratio. The ratio defaults to 1; an unknown
 * name or ratio falls back to the default rather than stopping the service.
 */
export function samplerFromEnv(env: NodeJS.ProcessEnv = process.env): Sampler {
  const name = (env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on').trim().toLowerCase();
  const arg = env.OTEL_TRACES_SAMPLER_ARG;
  const parsed = arg === undefined || arg.trim() === '' ? 1 : Number(arg);
  const ratio = Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : 1;
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/** The SDK as startTracing runs it: spans to OTLP over HTTP, HTTP, gRPC, pg and ioredis instrumented. */
export function createTracingSdk(serviceName: string, endpoint: string, env: NodeJS.ProcessEnv): NodeSDK {
  return new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? serviceName }),
    sampler: samplerFromEnv(env),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }))],
    // Metrics are Prometheus' (prom-client); the SDK's default would record every request a second
    // time and push it to an OTLP collector that may not exist.
    metricReaders: [],
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(metrics|health\/)/.test(req.url ?? '') }),
      new GrpcInstrumentation(),
      // Only queries made inside a traced operation: the relay's and consumers' polling would
      // otherwise start a trace of its own every second.
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
}
