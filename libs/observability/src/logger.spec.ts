import { Writable } from 'node:stream';
import { createLogger, redactUrl } from './logger';
import { runWithRequestContext } from './request-context';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, logger: createLogger('test', 'info', stream) };
}

describe('createLogger', () => {
  it('never writes passwords, tokens or authorization headers', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        body: { email: 'a@b.c', password: 'hunter2hunter2', refreshToken: 'rt-secret' },
        req: { headers: { authorization: 'Bearer abc.def.ghi', 'user-agent': 'jest' } },
        accessToken: 'at-secret',
      },
      'login',
    );
    const text = JSON.stringify(lines[0]);
    expect(text).not.toMatch(/hunter2|rt-secret|abc\.def\.ghi|at-secret/);
    expect(text).toMatch(/a@b\.c/);
    expect(text).toMatch(/jest/);
  });

  it('adds the request id of the current request and the service name', () => {
    const { lines, logger } = capture();
    runWithRequestContext({ requestId: 'req-12345678' }, () => logger.info('inside'));
    expect(lines[0]).toMatchObject({ service: 'test', requestId: 'req-12345678', msg: 'inside', level: 'info' });
  });

  it('strips passwords from connection URLs', () => {
    expect(redactUrl('postgres://shop:s3cret@db:5432/shop')).toBe('postgres://shop:***@db:5432/shop');
  });
});
