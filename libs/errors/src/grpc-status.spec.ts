import { Metadata, status } from '@grpc/grpc-js';
import { AppError } from './app-error';
import { httpStatusForGrpc, RETRY_AFTER_METADATA, toGrpcError } from './grpc-status';

describe('toGrpcError', () => {
  it('maps domain errors to their status with the message', () => {
    expect(toGrpcError(new AppError('already_exists', 'taken'))).toMatchObject({ code: status.ALREADY_EXISTS, details: 'taken' });
    expect(toGrpcError(AppError.invalid('bad'))).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'bad' });
  });

  it('carries retry-after for rate limits', () => {
    const error = toGrpcError(new AppError('rate_limited', 'slow down', 42));
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(error.metadata.get(RETRY_AFTER_METADATA)).toEqual(['42']);
  });

  it('hides the detail of unexpected errors', () => {
    expect(toGrpcError(new Error('connection string postgres://u:p@h/db refused'))).toMatchObject({
      code: status.INTERNAL,
      details: 'internal error',
    });
  });

  it('says UNAVAILABLE when the database is away, so callers may open their circuit, and INTERNAL when it refused one query', () => {
    const unreachable = Object.assign(new Error("Can't reach database server at 10.0.0.5:5432"), { code: 'P1001' });
    expect(toGrpcError(unreachable)).toMatchObject({ code: status.UNAVAILABLE, details: 'the service cannot reach its data store' });
    expect(toGrpcError(Object.assign(new Error('Raw query failed. Message: `Can\'t reach database server at h:1`'), { code: 'P2010' })).code).toBe(status.UNAVAILABLE);
    expect(toGrpcError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })).code).toBe(status.UNAVAILABLE);
    expect(toGrpcError(Object.assign(new Error('the database system is shutting down'), { code: '57P01' })).code).toBe(status.UNAVAILABLE);
    const nulByte = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: 'P2010' });
    expect(toGrpcError(nulByte)).toMatchObject({ code: status.INTERNAL, details: 'internal error' });
  });

  it('passes on gRPC errors from further downstream', () => {
    const downstream = Object.assign(new Error('nope'), { code: status.NOT_FOUND, details: 'nope', metadata: new Metadata() });
    expect(toGrpcError(downstream)).toMatchObject({ code: status.NOT_FOUND, details: 'nope' });
  });
});

describe('httpStatusForGrpc', () => {
  it.each([
    [status.INVALID_ARGUMENT, 400],
    [status.UNAUTHENTICATED, 401],
    [status.PERMISSION_DENIED, 403],
    [status.NOT_FOUND, 404],
    [status.ALREADY_EXISTS, 409],
    [status.FAILED_PRECONDITION, 422],
    [status.RESOURCE_EXHAUSTED, 429],
    [status.UNAVAILABLE, 503],
    [status.DEADLINE_EXCEEDED, 503],
    [status.INTERNAL, 500],
  ])('gRPC %s is HTTP %s', (code, http) => {
    expect(httpStatusForGrpc(code)).toBe(http);
  });
});
