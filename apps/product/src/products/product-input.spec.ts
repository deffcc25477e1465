import { AppError } from '@shop/errors';
import { type ProductFields, validateProduct } from './product-input';

const valid: ProductFields = {
  name: ' Merino Jumper ',
  description: 'Warm.',
  brand: 'Nordwool',
  categoryIds: ['7f1c5a0e-8d7b-4c1e-9a5b-2d3e4f5a6b7c'],
  attributes: { Material: 'wool' },
  images: ['https://img.example/jumper.jpg'],
  status: 'published',
  variants: [
    { sku: 'JMP-M', price: { amount: 8900, currency: 'eur' }, attributes: { size: 'M' } },
    { sku: 'JMP-L', price: { amount: 8900, currency: 'EUR' }, attributes: { size: 'L' } },
  ],
};

function problems(input: Partial<ProductFields>): string {
  try {
    validateProduct({ ...valid, ...input });
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).message;
  }
  throw new Error('expected a validation error');
}

describe('validateProduct', () => {
  it('normalises a valid product', () => {
    const product = validateProduct(valid);
    expect(product.name).toBe('Merino Jumper');
    expect(product.attributes).toEqual({ material: 'wool' });
    expect(product.variants.map((v) => [v.sku, v.priceAmount, v.currency])).toEqual([
      ['JMP-M', 8900, 'EUR'],
      ['JMP-L', 8900, 'EUR'],
    ]);
  });

  it('refuses negative, fractional, missing and too large prices', () => {
    expect(problems({ variants: [{ sku: 'A', price: { amount: -1, currency: 'EUR' }, attributes: {} }] })).toMatch(/price.amount/);
    // The price column is a 32-bit integer: 3,000,000,000 once reached Postgres as a 500.
    expect(problems({ variants: [{ sku: 'A', price: { amount: 3_000_000_000, currency: 'EUR' }, attributes: {} }] })).toBe(
      'variant 1: price.amount must be a whole number of minor units from 0 to 2147483647',
    );
    expect(validateProduct({ ...valid, variants: [{ sku: 'A', price: { amount: 2_147_483_647, currency: 'EUR' }, attributes: {} }] }).variants[0]!.priceAmount).toBe(2_147_483_647);
    expect(problems({ variants: [{ sku: 'A', price: { amount: 19.99, currency: 'EUR' }, attributes: {} }] })).toMatch(/price.amount/);
    expect(problems({ variants: [{ sku: 'A', attributes: {} }] })).toMatch(/price.amount.*price.currency/);
  });

  it('refuses mixed currencies, duplicate SKUs, bad status, bad images and no variants', () => {
    expect(
      problems({
        variants: [
          { sku: 'A', price: { amount: 1, currency: 'EUR' }, attributes: {} },
          { sku: 'a', price: { amount: 1, currency: 'USD' }, attributes: {} },
        ],
      }),
    ).toMatch(/appears twice.*one currency/);
    expect(problems({ status: 'live' })).toMatch(/status/);
    expect(problems({ images: ['javascript:alert(1)'] })).toMatch(/not an http\(s\) URL/);
    expect(problems({ variants: [] })).toMatch(/at least one variant/);
    expect(problems({ categoryIds: ['electronics'] })).toMatch(/category ids/);
  });

  it('refuses attribute names a plain object already answers to', () => {
    expect(problems({ attributes: { constructor: 'x' } as Record<string, string> })).toBe('product: "constructor" is a reserved name, not an attribute name');
  });
});
