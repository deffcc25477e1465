import { status } from '@grpc/grpc-js';
import { CircuitBreaker } from './circuit-breaker';
import { verdictOf } from './downstream-health';

describe('verdictOf', () => {
  it('counts only the service being away or too slow against it', () => {
    expect(verdictOf({ code: status.UNAVAILABLE, details: 'No connection established' })).toBe('unhealthy');
    expect(verdictOf({ code: status.UNAVAILABLE, details: 'Connection dropped' })).toBe('unhealthy');
    expect(verdictOf({ code: status.DEADLINE_EXCEEDED, details: 'Deadline exceeded' })).toBe('unhealthy');
    expect(verdictOf({ code: status.INTERNAL, details: 'Received RST_STREAM with code 2 (Internal server error)' })).toBe('unhealthy');
    expect(verdictOf({ code: status.INTERNAL, details: 'Received HTTP status code 400' })).toBe('unhealthy');
  });

  it('says nothing for errors one request caused', () => {
    // grpc-js's own words for a request it could not encode (int32 past 2147483647) or an answer it could not decode.
    expect(verdictOf({ code: status.INTERNAL, details: 'Request message serialization failure: invalid int32: 2147483648' })).toBe('says-nothing');
    expect(verdictOf({ code: status.INTERNAL, details: 'Response message parsing error: premature EOF' })).toBe('says-nothing');
    // A handler that threw on this input (Postgres refusing a NUL byte), as our servers answer it.
    expect(verdictOf({ code: status.INTERNAL, details: 'internal error' })).toBe('says-nothing');
    expect(verdictOf({ code: status.UNKNOWN, details: 'boom' })).toBe('says-nothing');
    // A rate limit on one account (the login lockout) is not the service being overwhelmed.
    expect(verdictOf({ code: status.RESOURCE_EXHAUSTED, details: 'too many failed logins' })).toBe('says-nothing');
    expect(verdictOf({ code: status.CANCELLED, details: 'Call cancelled' })).toBe('says-nothing');
  });

  it('takes an answer, even a refusal, as the service being up', () => {
    expect(verdictOf(null)).toBe('healthy');
    for (const code of [status.INVALID_ARGUMENT, status.NOT_FOUND, status.ALREADY_EXISTS, status.PERMISSION_DENIED, status.UNAUTHENTICATED, status.FAILED_PRECONDITION, status.ABORTED]) {
      expect(verdictOf({ code, details: 'no' })).toBe('healthy');
    }
  });

  it('never opens a breaker on six requests that could not be encoded, and still opens it on an outage', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 5, openMs: 10_000, now: () => 0 });
    for (let i = 0; i < 6; i += 1) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.record(verdictOf({ code: status.INTERNAL, details: 'Request message serialization failure: invalid int32: 2147483648' }));
    }
    expect(breaker.state).toBe('closed');
    for (let i = 0; i < 5; i += 1) breaker.record(verdictOf({ code: status.UNAVAILABLE, details: 'Connection dropped' }));
    expect(breaker.state).toBe('open');
  });
});
