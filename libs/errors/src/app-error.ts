/** Domain failures a service raises; the gRPC layer turns the kind into a status code. */
export type AppErrorKind =
  | 'invalid_argument'
  | 'not_found'
  | 'already_exists'
  | 'unauthenticated'
  | 'permission_denied'
  | 'failed_precondition'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable';

export class AppError extends Error {
  constructor(
    readonly kind: AppErrorKind,
    message: string,
    /** Seconds to wait before retrying, for rate_limited. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static invalid(message: string): AppError {
    return new AppError('invalid_argument', message);
  }

  static notFound(message: string): AppError {
    return new AppError('not_found', message);
  }
}
