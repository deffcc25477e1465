import { errorBody } from '@shop/errors';
import { requestIdFrom } from '@shop/observability';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Seconds a client should wait before retrying a 503 that does not know better (an open circuit
 * knows when it lets calls through again and says so): about a service restarting or a deadline
 * passing, and long enough that clients following it do not add to an overload.
 */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** The methods routes here are served under; a request with any other (TRACE, CONNECT, PROPFIND…) asks for something not implemented. */
export const SERVED_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * The methods probed for a path no route took with the method asked. OPTIONS is left out: with
 * CORS on, a preflight route takes it on every path and would make every unknown path look known.
 */
export const PROBED_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

export type UnmatchedAnswer = { status: 404 } | { status: 405; allow: string[]; message: string } | { status: 501; message: string };

/**
 * What to answer a request no route took: 405 with the methods its path does take (RFC 9110 15.5.6),
 * 501 for a method nothing here serves, 404 for a path nothing serves.
 */
export function answerUnmatched(method: string, path: string, allowed: readonly string[]): UnmatchedAnswer {
  if (allowed.length > 0) return { status: 405, allow: [...allowed], message: `${method} is not allowed on ${path}; it takes ${allowed.join(', ')}` };
  if (!SERVED_METHODS.includes(method)) return { status: 501, message: `${method} is not a method this API implements` };
  return { status: 404 };
}

/** Fastify's refusals before any route runs, in words that do not echo the (possibly huge) URL back. */
export const FRAMEWORK_ERROR_MESSAGES: Readonly<Record<string, string>> = {
  FST_ERR_BAD_URL: 'the URL is not valid: a path segment is not properly percent-encoded',
  FST_ERR_MAX_PARAM_LENGTH: 'a path segment is longer than this API accepts',
  FST_ERR_ASYNC_CONSTRAINT: 'the request could not be routed',
};

/** Node's HTTP parser refusing a request before Fastify sees it: the status each of its refusals answers with. */
export const CLIENT_ERROR_ANSWERS: Readonly<Record<string, { status: number; message: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: 'the request headers are larger than this server accepts' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'the request took too long to arrive' },
  HPE_INVALID_METHOD: { status: 501, message: 'the request method is not one this API implements' },
};
const MALFORMED_REQUEST = { status: 400, message: 'the request is not well-formed HTTP' };

/**
 * Answers a request Node's parser refused, in the one error shape with a request id of its own
 * (there is no request to take one from), then closes the connection: after a parse error the
 * rest of the stream cannot be trusted.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection, or one already gone, has no one to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, message } = CLIENT_ERROR_ANSWERS[error.code ?? ''] ?? MALFORMED_REQUEST;
  const requestId = requestIdFrom(undefined);
  const body = JSON.stringify(errorBody(status, message, requestId));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\n` +
        'Cache-Control: no-store\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(error);
}
