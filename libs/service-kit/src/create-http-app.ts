import type { IncomingMessage } from 'node:http';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestContext, type ServiceMetrics } from '@shop/observability';
import type { Logger } from 'pino';
import type { Counter, Histogram } from 'prom-client';
import { HttpErrorFilter } from './http-error.filter';
import { PinoNestLogger } from './pino-nest-logger';

export interface HttpAppOptions {
  logger: Logger;
  metrics: ServiceMetrics;
  bodyLimitBytes?: number;
  trustProxy?: boolean;
  /** Keep each request's raw body as `rawBody` (webhooks whose signature covers the exact bytes). */
  rawBody?: boolean;
}

/**
 * A Nest application on Fastify with request ids (taken from X-Request-Id or made), the request
 * context for logs, HTTP metrics per route and the one error shape, also for errors Fastify raises
 * before a route runs (malformed JSON, oversized bodies).
 */
export async function createHttpApp(module: Type | DynamicModule, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const { logger, metrics } = options;
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    genReqId: (request: IncomingMessage) => requestIdFrom(request.headers[REQUEST_ID_HEADER]),
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    rawBody: options.rawBody ?? false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    runWithRequestContext({ requestId: String(request.id) }, done);
  });
  // prom-client hashes the labels on every call; each route's series is looked up once instead.
  const requestCounters = new Map<string, Counter.Internal>();
  const durationHistograms = new Map<string, Histogram.Internal<'method' | 'route'>>();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    const series = `${request.method} ${route}`;
    const counted = `${series} ${reply.statusCode}`;
    let counter = requestCounters.get(counted);
    if (!counter) requestCounters.set(counted, (counter = metrics.httpRequests.labels({ method: request.method, route, status: String(reply.statusCode) })));
    counter.inc();
    let histogram = durationHistograms.get(series);
    if (!histogram) durationHistograms.set(series, (histogram = metrics.httpDuration.labels({ method: request.method, route })));
    histogram.observe(seconds);
    if (reply.statusCode >= 400 || seconds > 1) {
      logger.info(
        { method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
        'request completed',
      );
    }
    done();
  });
  app.useGlobalFilters(new HttpErrorFilter(logger));
  return app;
}
