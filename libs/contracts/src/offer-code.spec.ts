import { discountFloor, type OfferTerms, signOfferCode, verifyOfferCode } from './offer-code';

const KEY = 'k'.repeat(32);
const terms: OfferTerms = { id: 'o1', userId: 'u1', sku: 'MUG-1', amount: 1620, currency: 'EUR', listAmount: 1800, maxDiscountPercent: 10, minQuantity: 1, expiresAt: 2_000_000 };

describe('offer codes', () => {
  it('verifies what it signed', () => {
    expect(verifyOfferCode(signOfferCode(terms, KEY), KEY, 1_000_000)).toEqual({ ok: true, terms });
  });

  it('refuses a forged price, another key and garbage', () => {
    const code = signOfferCode(terms, KEY);
    const [, signature] = code.split('.');
    const forged = `${Buffer.from(JSON.stringify([1, 'o1', 'u1', 'MUG-1', 1, 'EUR', 1800, 10, 1, 2_000_000])).toString('base64url')}.${signature}`;
    expect(verifyOfferCode(forged, KEY, 1_000_000)).toEqual({ ok: false, reason: 'the offer code is not valid' });
    expect(verifyOfferCode(code, 'x'.repeat(32), 1_000_000).ok).toBe(false);
    expect(verifyOfferCode('nonsense', KEY, 1_000_000).ok).toBe(false);
    expect(verifyOfferCode('a.b.c', KEY, 1_000_000).ok).toBe(false);
  });

  it('refuses an expired code', () => {
    expect(verifyOfferCode(signOfferCode(terms, KEY), KEY, 2_000_000)).toEqual({ ok: false, reason: 'the offer code has expired' });
  });

  it('rounds the floor up', () => {
    expect(discountFloor(1999, 10)).toBe(1800);
    expect(discountFloor(1000, 0)).toBe(1000);
  });
});
