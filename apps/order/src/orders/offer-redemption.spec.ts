import { signOfferCode } from '@shop/contracts';
import { applyOffer } from './offer-redemption';

const KEY = 's'.repeat(32);
const NOW = 1_000_000;
const priced = () => ({
  lines: [
    { sku: 'LAMP-1', productId: 'p1', name: 'Lamp', quantity: 1, unitAmount: 5000, lineAmount: 5000 },
    { sku: 'MUG-1', productId: 'p2', name: 'Mug', quantity: 2, unitAmount: 1800, lineAmount: 3600 },
  ],
  total: { amount: 8600, currency: 'EUR' },
});
const code = (overrides: Record<string, unknown> = {}) =>
  signOfferCode({ id: 'o1', userId: 'u1', sku: 'MUG-1', amount: 1620, currency: 'EUR', listAmount: 1800, maxDiscountPercent: 10, minQuantity: 1, expiresAt: NOW + 60_000, ...overrides }, KEY);

describe('applyOffer', () => {
  it('prices the line at the offer and totals again', () => {
    const result = applyOffer(priced(), code(), 'u1', KEY, NOW);
    expect(result.unitAmount).toBe(1620);
    expect(result.priced.lines[1]).toMatchObject({ unitAmount: 1620, lineAmount: 3240 });
    expect(result.priced.total).toEqual({ amount: 8240, currency: 'EUR' });
  });

  it('refuses another shopper, another SKU, too few units, expired, forged and unsigned', () => {
    expect(() => applyOffer(priced(), code(), 'u2', KEY, NOW)).toThrow('not valid');
    expect(() => applyOffer(priced(), code({ sku: 'CUP-9' }), 'u1', KEY, NOW)).toThrow('not in the cart');
    expect(() => applyOffer(priced(), code({ minQuantity: 3 }), 'u1', KEY, NOW)).toThrow('at least 3');
    expect(() => applyOffer(priced(), code({ expiresAt: NOW }), 'u1', KEY, NOW)).toThrow('expired');
    expect(() => applyOffer(priced(), code(), 'u1', 'other-key'.repeat(4), NOW)).toThrow('not valid');
    expect(() => applyOffer(priced(), code(), 'u1', undefined, NOW)).toThrow('OFFER_SIGNING_KEY');
  });

  it("refuses a price below the rule's discount off today's price, keeps a price that fell since", () => {
    expect(() => applyOffer(priced(), code({ amount: 180, maxDiscountPercent: 10 }), 'u1', KEY, NOW)).toThrow('more than 10%');
    const cheaper = priced();
    cheaper.lines[1] = { ...cheaper.lines[1]!, unitAmount: 1500, lineAmount: 3000 };
    expect(applyOffer(cheaper, code(), 'u1', KEY, NOW).unitAmount).toBe(1500);
  });
});
