import { appErrorKind } from '@shop/testing';
import { assertIdempotencyKey, normalizeAddress, normalizeEmail, requestHash } from './checkout-request';

const address = { line1: '1 Road', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

describe('checkout request', () => {
  it('normalises an address into one canonical form', () => {
    expect(normalizeAddress({ ...address, line1: '  1   Road ', country: 'gb', region: undefined })).toEqual({
      line1: '1 Road',
      line2: '',
      city: 'London',
      region: '',
      postalCode: 'N1 9GU',
      country: 'GB',
    });
  });

  it.each([
    ['no address', undefined],
    ['no line1', { ...address, line1: ' ' }],
    ['no city', { ...address, city: '' }],
    ['no postal code', { ...address, postalCode: '' }],
    ['a three-letter country', { ...address, country: 'GBR' }],
    ['a long line', { ...address, line1: 'x'.repeat(201) }],
  ])('refuses %s', (_, value) => {
    expect(appErrorKind(() => normalizeAddress(value))).toBe('invalid_argument');
  });

  it('needs an idempotency key and an email', () => {
    expect(appErrorKind(() => assertIdempotencyKey(''))).toBe('invalid_argument');
    expect(appErrorKind(() => assertIdempotencyKey('   '))).toBe('invalid_argument');
    expect(appErrorKind(() => assertIdempotencyKey('k'.repeat(201)))).toBe('invalid_argument');
    expect(assertIdempotencyKey(' key-1 ')).toBe('key-1');
    expect(normalizeEmail(' Ada@Example.COM ')).toBe('ada@example.com');
    expect(appErrorKind(() => normalizeEmail('ada'))).toBe('invalid_argument');
  });

  describe('requestHash', () => {
    const canonical = normalizeAddress(address);
    const lines = [
      { sku: 'B', quantity: 2 },
      { sku: 'A', quantity: 1 },
    ];
    const base = requestHash(canonical, 'ada@example.com', lines);

    it('is a sha256 that ignores line order and spelling differences of the same address', () => {
      expect(base).toMatch(/^[0-9a-f]{64}$/);
      expect(requestHash(normalizeAddress({ ...address, line1: ' 1  Road', country: 'gb' }), normalizeEmail('ADA@example.com'), [...lines].reverse())).toBe(base);
    });

    it('changes with the address, the email and the cart', () => {
      expect(requestHash({ ...canonical, line1: '2 Road' }, 'ada@example.com', lines)).not.toBe(base);
      expect(requestHash({ ...canonical, line2: 'Flat 1' }, 'ada@example.com', lines)).not.toBe(base);
      expect(requestHash(canonical, 'bob@example.com', lines)).not.toBe(base);
      expect(requestHash(canonical, 'ada@example.com', [{ sku: 'A', quantity: 1 }])).not.toBe(base);
      expect(requestHash(canonical, 'ada@example.com', [{ sku: 'A', quantity: 2 }, { sku: 'B', quantity: 2 }])).not.toBe(base);
    });

    it('keeps fields apart, so text moved between fields is a different request', () => {
      expect(requestHash({ ...canonical, line1: '1', line2: 'Road' }, 'a@b.co', [])).not.toBe(requestHash({ ...canonical, line1: '1 Road', line2: '' }, 'a@b.co', []));
    });
  });
});
