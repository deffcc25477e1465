import { appErrorKind } from '@shop/testing';
import { addedQuantity, assertQuantity, assertSameCurrency, assertSku, priceCart, priceOrder, type VariantPrice } from './cart-rules';

const variant = (sku: string, amount: number, purchasable = true, currency = 'EUR'): VariantPrice => ({
  sku,
  productId: `p-${sku}`,
  productName: `Name ${sku}`,
  price: { amount, currency },
  purchasable,
});
const catalogue = (...variants: VariantPrice[]) => new Map(variants.map((v) => [v.sku, v]));

describe('cart quantities', () => {
  it('takes 1 to 100 units per line, also after adding', () => {
    expect(assertQuantity(1)).toBe(1);
    expect(assertQuantity(100)).toBe(100);
    for (const bad of [0, -1, 101, 1.5, Number.NaN]) expect(appErrorKind(() => assertQuantity(bad))).toBe('invalid_argument');
    expect(addedQuantity(40, 60)).toBe(100);
    expect(appErrorKind(() => addedQuantity(41, 60))).toBe('failed_precondition');
    expect(appErrorKind(() => assertSku(' '))).toBe('invalid_argument');
    expect(appErrorKind(() => assertSku('x'.repeat(65)))).toBe('invalid_argument');
  });
});

describe('priceCart', () => {
  it('prices every line in minor units and adds up the buyable ones', () => {
    const { items, total } = priceCart(
      [
        { id: '1', sku: 'A', quantity: 3 },
        { id: '2', sku: 'B', quantity: 2 },
      ],
      catalogue(variant('A', 1999), variant('B', 250)),
      new Map([['A', 7], ['B', 1]]),
    );
    expect(items.map((i) => [i.sku, i.unitPrice.amount, i.lineTotal.amount, i.available, i.name])).toEqual([
      ['A', 1999, 5997, 7, 'Name A'],
      ['B', 250, 500, 1, 'Name B'],
    ]);
    expect(total).toEqual({ amount: 6497, currency: 'EUR' });
  });

  it('keeps lines that can no longer be bought, with 0 available and out of the total', () => {
    const { items, total } = priceCart(
      [
        { id: '1', sku: 'GONE', quantity: 1 },
        { id: '2', sku: 'DRAFT', quantity: 1 },
        { id: '3', sku: 'A', quantity: 2 },
        { id: '4', sku: 'USD', quantity: 1 },
      ],
      catalogue(variant('DRAFT', 500, false), variant('A', 100), variant('USD', 300, true, 'USD')),
      new Map([['DRAFT', 9], ['A', 9], ['USD', 9]]),
    );
    expect(items.map((i) => [i.sku, i.available])).toEqual([
      ['GONE', 0],
      ['DRAFT', 0],
      ['A', 9],
      ['USD', 0],
    ]);
    expect(items[0]).toMatchObject({ name: '', productId: '', unitPrice: { amount: 0, currency: 'EUR' } });
    expect(total).toEqual({ amount: 200, currency: 'EUR' });
  });

  it('answers an empty cart with a zero total', () => {
    expect(priceCart([], new Map(), new Map())).toEqual({ items: [], total: { amount: 0, currency: '' } });
  });
});

describe('priceOrder', () => {
  it('prices the lines in SKU order with their total', () => {
    expect(priceOrder([{ sku: 'B', quantity: 2 }, { sku: 'A', quantity: 1 }], catalogue(variant('A', 1000), variant('B', 1)))).toEqual({
      lines: [
        { sku: 'A', productId: 'p-A', name: 'Name A', quantity: 1, unitAmount: 1000, lineAmount: 1000 },
        { sku: 'B', productId: 'p-B', name: 'Name B', quantity: 2, unitAmount: 1, lineAmount: 2 },
      ],
      total: { amount: 1002, currency: 'EUR' },
    });
  });

  it('refuses an empty cart, lines that cannot be bought and mixed currencies', () => {
    expect(appErrorKind(() => priceOrder([], new Map()))).toBe('failed_precondition');
    expect(appErrorKind(() => priceOrder([{ sku: 'X', quantity: 1 }], new Map()))).toBe('failed_precondition');
    expect(appErrorKind(() => priceOrder([{ sku: 'A', quantity: 1 }], catalogue(variant('A', 1, false))))).toBe('failed_precondition');
    expect(appErrorKind(() => priceOrder([{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 1 }], catalogue(variant('A', 1), variant('B', 1, true, 'USD'))))).toBe(
      'failed_precondition',
    );
  });

  it('refuses totals an int column cannot hold', () => {
    expect(appErrorKind(() => priceOrder([{ sku: 'A', quantity: 100 }], catalogue(variant('A', 100_000_000))))).toBe('failed_precondition');
  });
});

describe('assertSameCurrency', () => {
  it('lets a line join a cart of its own currency only', () => {
    expect(() => assertSameCurrency([], { amount: 1, currency: 'USD' })).not.toThrow();
    expect(() => assertSameCurrency(['EUR', 'EUR'], { amount: 1, currency: 'EUR' })).not.toThrow();
    expect(appErrorKind(() => assertSameCurrency(['EUR'], { amount: 1, currency: 'USD' }))).toBe('failed_precondition');
  });
});
