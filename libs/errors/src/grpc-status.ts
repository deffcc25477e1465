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
  return { code: status.INTERNAL, details: 'internal error', metadata };
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
