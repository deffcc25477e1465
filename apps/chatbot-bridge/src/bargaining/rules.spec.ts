import { checkRule, decideOffer, ruleFor } from './rules';

const rule = checkRule({ scope: 'product', targetId: 'p1', maxDiscountPercent: 10, minQuantity: 1, minStock: 2, validForMinutes: 15, maxOffersPerShopper: 2 });
const base = { listAmount: 1800, quantity: 1, available: 10, offersMade: 0, now: 1_000 };

describe('bargaining rules', () => {
  it('gives at most the rule discount however much is asked', () => {
    expect(decideOffer(rule, { ...base, requestedPercent: 90 })).toEqual({ kind: 'offer', amount: 1620, discountPercent: 10, expiresAt: 1_000 + 15 * 60_000, capped: true });
    expect(decideOffer(rule, { ...base, requestedAmount: 1 })).toMatchObject({ amount: 1620, capped: true });
    expect(decideOffer(rule, base)).toMatchObject({ amount: 1620, capped: false });
  });

  it('takes a price within the rule as asked, never above the list price', () => {
    expect(decideOffer(rule, { ...base, requestedAmount: 1700 })).toMatchObject({ amount: 1700, capped: false });
    expect(decideOffer(rule, { ...base, requestedAmount: 5000 })).toMatchObject({ amount: 1800 });
    expect(decideOffer(rule, { ...base, requestedPercent: 5 })).toMatchObject({ amount: 1710, discountPercent: 5 });
  });

  it('refuses without a rule, below the minimum quantity, past the stock floor and past the offers allowed', () => {
    expect(decideOffer(undefined, base)).toMatchObject({ kind: 'refused', reason: 'no_rule' });
    expect(decideOffer({ ...rule, minQuantity: 3 }, base)).toMatchObject({ kind: 'refused', reason: 'min_quantity', detail: 3 });
    expect(decideOffer(rule, { ...base, available: 2 })).toMatchObject({ kind: 'refused', reason: 'min_stock' });
    expect(decideOffer(rule, { ...base, offersMade: 2 })).toMatchObject({ kind: 'refused', reason: 'too_many_offers' });
  });

  it('picks the product rule, else the strictest category rule', () => {
    const c1 = checkRule({ scope: 'category', targetId: 'c1', maxDiscountPercent: 20 });
    const c2 = checkRule({ scope: 'category', targetId: 'c2', maxDiscountPercent: 5 });
    expect(ruleFor('p1', ['c1'], [c1, rule])).toBe(rule);
    expect(ruleFor('p9', ['c1', 'c2'], [c1, c2, rule])).toBe(c2);
    expect(ruleFor('p9', ['c3'], [c1, c2])).toBeUndefined();
  });

  it('checks what admins send', () => {
    expect(() => checkRule({ scope: 'shop', targetId: 'x', maxDiscountPercent: 1 })).toThrow('scope');
    expect(() => checkRule({ scope: 'product', targetId: 'x', maxDiscountPercent: 95 })).toThrow('maxDiscountPercent');
    expect(checkRule({ scope: 'category', targetId: ' c ', maxDiscountPercent: 0 })).toMatchObject({ targetId: 'c', minQuantity: 1, validForMinutes: 30, maxOffersPerShopper: 3 });
  });
});
