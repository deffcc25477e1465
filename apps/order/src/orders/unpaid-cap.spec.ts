import { type UnpaidHoldings, unpaidCapExceeded } from './unpaid-cap';

const cap = { maxOrders: 3, maxUnitsPerSku: 100 };
const holding = (orders: number, units: Record<string, number> = {}): UnpaidHoldings => ({ orders, unitsBySku: new Map(Object.entries(units)) });

describe('the cap on what one shopper holds unpaid', () => {
  it('lets an order through while it fits', () => {
    expect(unpaidCapExceeded(cap, holding(0), [{ sku: 'MUG', quantity: 100 }])).toBeUndefined();
    expect(unpaidCapExceeded(cap, holding(2, { MUG: 60 }), [{ sku: 'MUG', quantity: 40 }, { sku: 'CUP', quantity: 100 }])).toBeUndefined();
  });

  it('refuses one order more than the unpaid orders allowed, whatever it holds', () => {
    expect(unpaidCapExceeded(cap, holding(3), [{ sku: 'MUG', quantity: 1 }])).toBe('at most 3 unpaid orders at a time: pay for or cancel one first');
    expect(unpaidCapExceeded({ ...cap, maxOrders: 1 }, holding(1), [{ sku: 'MUG', quantity: 1 }])).toBe('at most 1 unpaid order at a time: pay for or cancel one first');
  });

  it('refuses units of a SKU past the cap across the unpaid orders, saying how many are held', () => {
    // The attack: three rounds of 100 units of a 300-unit product.
    expect(unpaidCapExceeded(cap, holding(1, { MUG: 100 }), [{ sku: 'MUG', quantity: 100 }])).toBe(
      'at most 100 units of MUG in unpaid orders at a time (100 held, 100 ordered): pay for or cancel an order first',
    );
    expect(unpaidCapExceeded(cap, holding(1, { MUG: 99 }), [{ sku: 'CUP', quantity: 5 }, { sku: 'MUG', quantity: 2 }])).toMatch(/of MUG .*\(99 held, 2 ordered\)/);
    // Lines of one SKU count together.
    expect(unpaidCapExceeded(cap, holding(0), [{ sku: 'MUG', quantity: 60 }, { sku: 'MUG', quantity: 41 }])).toMatch(/\(0 held, 101 ordered\)/);
  });
});
