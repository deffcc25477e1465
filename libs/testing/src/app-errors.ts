import { AppError } from '@shop/errors';

/** The kind of AppError a call throws; undefined when it does not throw, 'not an AppError' for any other error. */
export function appErrorKind(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.kind : 'not an AppError';
  }
  return undefined;
}
