import { status } from '@grpc/grpc-js';
import type { CallVerdict } from './circuit-breaker';

/**
 * What each gRPC status says about the service that answered, or did not. One circuit breaker
 * serves every caller of a downstream, so only the service being away or overwhelmed may count
 * toward opening it: an error that one request's input caused would let a handful of bad requests
 * (a page past int32, a NUL byte the database refuses) take the service offline for everyone.
 */
export const HEALTH_BY_STATUS: Readonly<Record<status, CallVerdict>> = {
  [status.OK]: 'healthy',
  // The service answered, whatever it thought of the request: it is up.
  [status.INVALID_ARGUMENT]: 'healthy',
  [status.NOT_FOUND]: 'healthy',
  [status.ALREADY_EXISTS]: 'healthy',
  [status.PERMISSION_DENIED]: 'healthy',
  [status.UNAUTHENTICATED]: 'healthy',
  [status.FAILED_PRECONDITION]: 'healthy',
  [status.ABORTED]: 'healthy',
  [status.OUT_OF_RANGE]: 'healthy',
  [status.UNIMPLEMENTED]: 'healthy',
  // Away, or too slow to answer within the deadline.
  [status.UNAVAILABLE]: 'unhealthy',
  [status.DEADLINE_EXCEEDED]: 'unhealthy',
  // Our own caller gave up.
  [status.CANCELLED]: 'says-nothing',
  // A limit on one account or source (the login lockout), or a message over the size limit.
  [status.RESOURCE_EXHAUSTED]: 'says-nothing',
  // A request that could not be encoded, an answer that could not be decoded, or a handler that threw
  // on this one input; a broken transport is told apart by its details below.
  [status.INTERNAL]: 'says-nothing',
  [status.UNKNOWN]: 'says-nothing',
  [status.DATA_LOSS]: 'says-nothing',
};

/** grpc-js reports a broken HTTP/2 stream as INTERNAL too; these details say the transport failed, not the call. */
export const TRANSPORT_FAILURE_DETAILS: readonly RegExp[] = [/^Received RST_STREAM with code/, /^Received HTTP status code/];

/** What a call's outcome says about the downstream: `null` is a call that succeeded. */
export function verdictOf(error: { code: status; details?: string } | null): CallVerdict {
  if (!error) return 'healthy';
  if (error.code === status.INTERNAL && TRANSPORT_FAILURE_DETAILS.some((pattern) => pattern.test(error.details ?? ''))) return 'unhealthy';
  return HEALTH_BY_STATUS[error.code] ?? 'says-nothing';
}
