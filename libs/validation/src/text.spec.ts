import { findUnstorableText, unstorableTextMessage } from './text';

describe('findUnstorableText', () => {
  it('passes text people write, lines and tabs included', () => {
    expect(findUnstorableText({ name: 'Zoë Ångström 😀', description: 'line one\nline two\r\n\tindented', tags: ['a', 'b'] })).toBeUndefined();
    expect(findUnstorableText({ amount: 5, ok: true, nothing: null, missing: undefined })).toBeUndefined();
  });

  it.each([
    ['NUL', 'Ada\u0000'],
    ['a bell', 'ding\u0007'],
    ['escape', '\u001b[31mred'],
    ['DEL', 'x\u007f'],
    ['an unpaired surrogate', 'broken \ud800 pair'],
  ])('finds %s and says where it is', (_what, text) => {
    expect(findUnstorableText({ shippingAddress: { line1: '1 Road', line2: text } })).toEqual({ path: 'shippingAddress.line2' });
    expect(findUnstorableText({ variants: [{ sku: 'A' }, { attributes: { colour: text } }] })).toEqual({ path: 'variants[1].attributes.colour' });
    expect(findUnstorableText(text)).toEqual({ path: '' });
  });

  it('checks property names too (attributes are stored by name)', () => {
    expect(findUnstorableText({ attributes: { 'col\u0000our': 'red' } })).toEqual({ path: 'attributes.col?our' });
  });

  it('leaves bytes alone: a webhook body is not text', () => {
    expect(findUnstorableText({ payload: Buffer.from([0, 1, 2]), signature: 't=1,v1=abc' })).toBeUndefined();
  });

  it('walks any depth without recursion', () => {
    let deep: unknown = 'bottom\u0000';
    for (let level = 0; level < 20_000; level += 1) deep = [deep];
    expect(findUnstorableText(deep)?.path).toMatch(/^(\[0\]){20000}$/);
  });

  it('names the field in its message', () => {
    expect(unstorableTextMessage({ path: 'name' })).toBe('name must not contain control characters (such as NUL) or unpaired surrogates');
    expect(unstorableTextMessage({ path: '' }, 'q')).toMatch(/^q must not/);
  });
});
