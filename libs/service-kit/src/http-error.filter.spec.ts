import { DownstreamUnavailableError } from '@shop/grpc';
import { toErrorResponse } from './http-error.filter';

describe('toErrorResponse', () => {
  it('gives a 503 from an open circuit a Retry-After of when it lets calls through again', () => {
    const response = toErrorResponse(new DownstreamUnavailableError('product service is unavailable', 7_200), 'req-1');
    expect(response).toEqual({
      body: { statusCode: 503, error: 'Service Unavailable', message: 'product service is unavailable', requestId: 'req-1' },
      retryAfterSeconds: 8,
    });
  });

  it('gives at least a second, never zero', () => {
    expect(toErrorResponse(new DownstreamUnavailableError('product service is unavailable', 0), 'req-1').retryAfterSeconds).toBe(1);
  });
});
