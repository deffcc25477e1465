import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { AppError, errorBody, type ErrorBody, httpStatusForGrpc, isServiceError, RETRY_AFTER_METADATA } from '@shop/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { answerUnmatched, PROBED_METHODS } from './edge-answers';

const APP_ERROR_STATUS: Record<AppError['kind'], number> = {
  invalid_argument: 400,
  not_found: 404,
  already_exists: 409,
  unauthenticated: 401,
  permission_denied: 403,
  failed_precondition: 422,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

export interface ErrorResponse {
  body: ErrorBody;
  retryAfterSeconds?: number;
}

/** Maps whatever was thrown to the one error shape; nothing internal leaks into a 500. */
export function toErrorResponse(error: unknown, requestId: string, logger?: Logger): ErrorResponse {
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    let message = error.message;
    let details: string[] | undefined;
    if (typeof response === 'object' && response !== null) {
      const raw = (response as { message?: unknown }).message;
      if (Array.isArray(raw)) {
        details = raw.map(String);
        message = status === 400 ? 'Validation failed' : details.join('; ');
      } else if (typeof raw === 'string') {
        message = raw;
      }
    }
    const retryAfter = (response as { retryAfterSeconds?: number })?.retryAfterSeconds;
    return { body: errorBody(status, message, requestId, details), retryAfterSeconds: retryAfter };
  }
  if (error instanceof AppError) {
    return { body: errorBody(APP_ERROR_STATUS[error.kind], error.message, requestId), retryAfterSeconds: error.retryAfterSeconds };
  }
  if (isServiceError(error)) {
    const status = httpStatusForGrpc(error.code);
    if (status >= 500 && status !== 503) logger?.error({ err: error }, 'downstream call failed');
    const retry = error.metadata?.get(RETRY_AFTER_METADATA)?.[0];
    return {
      body: errorBody(status, status === 500 ? 'Internal server error' : error.details, requestId),
      retryAfterSeconds: retry === undefined ? undefined : Number(retry),
    };
  }
  const fastifyError = error as { statusCode?: number; message?: string; code?: string };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return { body: errorBody(fastifyError.statusCode, fastifyError.message ?? 'Bad request', requestId) };
  }
  logger?.error({ err: error }, 'unhandled error');
  return { body: errorBody(500, 'Internal server error', requestId) };
}

export function sendError(reply: FastifyReply, request: FastifyRequest, error: unknown, logger?: Logger): void {
  const { body, retryAfterSeconds } = toErrorResponse(error, String(request.id), logger);
  if (retryAfterSeconds !== undefined) void reply.header('Retry-After', String(Math.max(1, Math.ceil(retryAfterSeconds))));
  void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
}

/**
 * For a request no route took: a 405 (with Allow) when its path takes other methods, a 501 for a
 * method nothing here implements; undefined leaves the 404.
 */
function unmatchedRouteError(request: FastifyRequest, reply: FastifyReply): HttpException | undefined {
  const path = request.url.split('?', 1)[0]!;
  const allowed = PROBED_METHODS.filter((method) => request.server.findRoute({ method: method as 'GET', url: path }) !== null);
  const answer = answerUnmatched(request.method, path, allowed);
  if (answer.status === 404) return undefined;
  if (answer.status === 405) void reply.header('allow', answer.allow.join(', '));
  return new HttpException(answer.message, answer.status);
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendError(reply, request, (request.is404 && unmatchedRouteError(request, reply)) || error, this.logger);
  }
}
