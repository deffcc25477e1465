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

  it('refuses negative, fractional and missing prices', () => {
    expect(problems({ variants: [{ sku: 'A', price: { amount: -1, currency: 'EUR' }, attributes: {} }] })).toMatch(/price.amount/);
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
});
