import { STATUS_CODES } from 'node:http';

/** The one JSON error body every HTTP endpoint answers with. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  requestId: string;
  /** Per-field problems for validation errors. */
  details?: string[];
}

export function errorBody(statusCode: number, message: string, requestId: string, details?: string[]): ErrorBody {
  const body: ErrorBody = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, requestId };
  if (details && details.length > 0) body.details = details;
  return body;
}
