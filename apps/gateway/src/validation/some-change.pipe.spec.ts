import { BadRequestException } from '@nestjs/common';
import { SomeChangePipe } from './some-change.pipe';

describe('SomeChangePipe', () => {
  const pipe = new SomeChangePipe();

  it('passes a body that changes something', () => {
    expect(pipe.transform({ locale: 'en-GB' })).toEqual({ locale: 'en-GB' });
    expect(pipe.transform({ phone: '' })).toEqual({ phone: '' });
  });

  it.each([[undefined], [null], [{}], [{ name: undefined }]])('refuses %p', (body) => {
    expect(() => pipe.transform(body)).toThrow(BadRequestException);
  });
});
