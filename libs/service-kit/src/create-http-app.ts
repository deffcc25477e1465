import type { IncomingMessage } from 'node:http';
import { BadRequestException, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestContext, type ServiceMetrics } from '@shop/observability';
import { findUnstorableText, unstorableTextMessage } from '@shop/validation';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { answerClientError, DEFAULT_RETRY_AFTER_SECONDS, FRAMEWORK_ERROR_MESSAGES } from './edge-answers';
import { HttpErrorFilter, sendError } from './http-error.filter';
import { acceptJsonBodiesOnly } from './json-body';
import { PinoNestLogger } from './pino-nest-logger';

/**
 * Route config (`@RouteConfig(VERBATIM_BODY)` from @nestjs/platform-fastify) for a route whose body
 * is passed on byte for byte and never stored as text here (a signed webhook): its body is not
 * checked for unstorable text.
 */
export const VERBATIM_BODY = { verbatimBody: true } as const;

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
 * context for logs, HTTP metrics per route and the one error shape, also for what is refused before
 * a route runs: malformed or too deeply nested JSON, oversized bodies, bodies that are not JSON
 * (415), malformed URLs (400), over-long path segments (414), oversized headers (431), a method a
 * path does not take (405 with Allow) or that nothing here implements (501). Text no store can keep
 * (a NUL byte) is refused in any body or query, and every 503 says when to retry.
 */
export async function createHttpApp(module: Type | DynamicModule, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const { logger, metrics } = options;
  const bodyLimit = options.bodyLimitBytes ?? 1024 * 1024;
  const adapter = new FastifyAdapter({
    bodyLimit,
    trustProxy: options.trustProxy ?? false,
    genReqId: (request: IncomingMessage) => requestIdFrom(request.headers[REQUEST_ID_HEADER]),
    logger: false,
    frameworkErrors: (error: Error & { code?: string; statusCode?: number }, request: FastifyRequest, reply: FastifyReply) => {
      void reply.header(REQUEST_ID_HEADER, request.id);
      const message = FRAMEWORK_ERROR_MESSAGES[error.code ?? ''];
      sendError(reply, request, message ? Object.assign(error, { message }) : error, logger);
    },
    clientErrorHandler: answerClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  acceptJsonBodiesOnly(fastify, { bodyLimit, rawBody: options.rawBody ?? false });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    runWithRequestContext({ requestId: String(request.id) }, done);
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    const inQuery = findUnstorableText(request.query);
    // Most requests (every GET) have no body: their route's options (an object Fastify builds per read) are not looked at.
    const inBody = request.body === undefined || (request.routeOptions.config as { verbatimBody?: boolean } | undefined)?.verbatimBody ? undefined : findUnstorableText(request.body);
    if (!inQuery && !inBody) {
      done();
      return;
    }
    const problems = [inQuery && unstorableTextMessage(inQuery, 'the query'), inBody && unstorableTextMessage(inBody, 'the body')].filter(Boolean);
    done(new BadRequestException(problems));
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode === 503 && !reply.hasHeader('retry-after')) void reply.header('retry-after', String(DEFAULT_RETRY_AFTER_SECONDS));
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpSeries(request.method, route).record(reply.statusCode, seconds);
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
