import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { AppError, type AppErrorKind } from './app-error';

const KIND_TO_STATUS: Record<AppErrorKind, status> = {
  invalid_argument: status.INVALID_ARGUMENT,
  not_found: status.NOT_FOUND,
  already_exists: status.ALREADY_EXISTS,
  unauthenticated: status.UNAUTHENTICATED,
  permission_denied: status.PERMISSION_DENIED,
  failed_precondition: status.FAILED_PRECONDITION,
  conflict: status.ABORTED,
  rate_limited: status.RESOURCE_EXHAUSTED,
  unavailable: status.UNAVAILABLE,
};

const STATUS_TO_HTTP: Partial<Record<status, number>> = {
  [status.INVALID_ARGUMENT]: 400,
  [status.OUT_OF_RANGE]: 400,
  [status.FAILED_PRECONDITION]: 422,
  [status.UNAUTHENTICATED]: 401,
  [status.PERMISSION_DENIED]: 403,
  [status.NOT_FOUND]: 404,
  [status.ALREADY_EXISTS]: 409,
  [status.ABORTED]: 409,
  [status.RESOURCE_EXHAUSTED]: 429,
  [status.UNAVAILABLE]: 503,
  [status.DEADLINE_EXCEEDED]: 503,
  [status.CANCELLED]: 503,
  [status.UNIMPLEMENTED]: 501,
};

export const RETRY_AFTER_METADATA = 'retry-after-seconds';

export interface GrpcErrorPayload {
  code: status;
  details: string;
  metadata: Metadata;
}

/** Turns anything a handler threw into the status a gRPC caller sees; unknown errors stay INTERNAL with no detail leaked. */
export function toGrpcError(error: unknown): GrpcErrorPayload {
  const metadata = new Metadata();
  if (error instanceof AppError) {
    if (error.retryAfterSeconds !== undefined) metadata.set(RETRY_AFTER_METADATA, String(error.retryAfterSeconds));
    return { code: KIND_TO_STATUS[error.kind], details: error.message, metadata };
  }
  if (isServiceError(error)) return { code: error.code, details: error.details, metadata };
  // Callers' circuit breakers count UNAVAILABLE and not INTERNAL (which one bad input can cause), so a
  // service whose database is away says so.
  if (isStoreUnreachable(error)) return { code: status.UNAVAILABLE, details: 'the service cannot reach its data store', metadata };
  return { code: status.INTERNAL, details: 'internal error', metadata };
}

/**
 * Prisma's codes for a database that cannot be reached, timed out or closed the connection; node's for
 * a refused or reset socket; Postgres' for shutting down, starting up and no connection slots left.
 */
const STORE_UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '53300']);

/** Whether an error says the database is away, rather than that it refused this one query. */
export function isStoreUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && STORE_UNREACHABLE_CODES.has(code)) return true;
  // A raw query through Prisma wraps the same failure as P2010 and keeps only the words.
  return code === 'P2010' && typeof message === 'string' && /Can't reach database server/.test(message);
}

export function isServiceError(error: unknown): error is ServiceError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as ServiceError).code === 'number' &&
    'details' in error &&
    'metadata' in error
  );
}

export function httpStatusForGrpc(code: status): number {
  return STATUS_TO_HTTP[code] ?? 500;
}
