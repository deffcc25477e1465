import { BadRequestException } from '@nestjs/common';
import { findNull, NoNullBodyPipe } from './no-null-body.pipe';

describe('NoNullBodyPipe', () => {
  const pipe = new NoNullBodyPipe();
  const body = { type: 'body' as const };

  it('passes bodies without null, and leaves queries and params alone', () => {
    expect(pipe.transform({ name: 'Ada', tags: ['a'], nested: { n: 0, b: false, s: '' } }, body)).toEqual({ name: 'Ada', tags: ['a'], nested: { n: 0, b: false, s: '' } });
    expect(pipe.transform({ page: null }, { type: 'query' })).toEqual({ page: null });
    expect(pipe.transform(undefined, body)).toBeUndefined();
  });

  it('refuses a null anywhere in a body, naming where', () => {
    expect(findNull({ a: { b: [1, null] } })).toBe('a.b[1]');
    expect(() => pipe.transform({ name: null }, body)).toThrow(BadRequestException);
    expect(() => pipe.transform([null], body)).toThrow(BadRequestException);
    expect(() => pipe.transform(null, body)).toThrow(BadRequestException);
  });
});
