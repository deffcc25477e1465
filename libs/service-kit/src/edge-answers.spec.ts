import { answerUnmatched, CLIENT_ERROR_ANSWERS, SERVED_METHODS } from './edge-answers';

describe('answerUnmatched', () => {
  it('is a 405 naming the methods the path takes', () => {
    expect(answerUnmatched('DELETE', '/api/v1/products', ['GET', 'HEAD'])).toEqual({
      status: 405,
      allow: ['GET', 'HEAD'],
      message: 'DELETE is not allowed on /api/v1/products; it takes GET, HEAD',
    });
    // TRACE on a path that exists: the path is there, the method is not allowed on it.
    expect(answerUnmatched('TRACE', '/api/v1/products', ['GET', 'HEAD'])).toMatchObject({ status: 405 });
  });

  it('is a 501 for a method nothing here implements, on a path nothing serves', () => {
    expect(answerUnmatched('TRACE', '/nowhere', [])).toEqual({ status: 501, message: 'TRACE is not a method this API implements' });
    expect(answerUnmatched('PROPFIND', '/nowhere', [])).toMatchObject({ status: 501 });
  });

  it('stays a 404 for a method routes here take', () => {
    for (const method of SERVED_METHODS) expect(answerUnmatched(method, '/nowhere', [])).toEqual({ status: 404 });
  });
});

describe('CLIENT_ERROR_ANSWERS', () => {
  it("gives Node's parser refusals their own statuses", () => {
    expect(CLIENT_ERROR_ANSWERS.HPE_HEADER_OVERFLOW?.status).toBe(431);
    expect(CLIENT_ERROR_ANSWERS.HPE_INVALID_METHOD?.status).toBe(501);
    expect(CLIENT_ERROR_ANSWERS.ERR_HTTP_REQUEST_TIMEOUT?.status).toBe(408);
  });
});
