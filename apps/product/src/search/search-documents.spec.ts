import type { ProductSnapshotV1 } from '@shop/contracts';
import { buildDocument } from './search-documents';

const product: ProductSnapshotV1 = {
  id: 'p1',
  name: 'Merino Crew Jumper',
  description: 'Warm',
  brand: 'Nordwool',
  categoryIds: ['knitwear'],
  attributes: { material: 'wool' },
  images: ['https://images.shop.example/p/1.jpg', 'https://images.shop.example/p/2.jpg'],
  status: 'published',
  variants: [
    { sku: 'J-M', price: { amount: 9400, currency: 'EUR' }, attributes: { size: 'M', colour: 'blue' } },
    { sku: 'J-S', price: { amount: 8900, currency: 'EUR' }, attributes: { size: 'S', colour: 'blue' } },
  ],
  version: 3,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-02T00:00:00.000Z',
};

describe('buildDocument', () => {
  it('indexes the cheapest price, every attribute once, all ancestor categories and the version', () => {
    expect(buildDocument(product, ['knitwear', 'clothing'])).toEqual({
      id: 'p1',
      name: 'Merino Crew Jumper',
      description: 'Warm',
      brand: 'Nordwool',
      categoryIds: ['clothing', 'knitwear'],
      directCategoryIds: ['knitwear'],
      attrs: ['colour=blue', 'material=wool', 'size=M', 'size=S'],
      price: 8900,
      currency: 'EUR',
      image: 'https://images.shop.example/p/1.jpg',
      version: 3,
      createdAt: '2026-11-01T00:00:00.000Z',
      ratingAverage: 0,
      ratingCount: 0,
    });
  });

  it('carries the rating of the product\'s published reviews', () => {
    expect(buildDocument({ ...product, rating: { average: 4.25, count: 8 } }, ['knitwear'])).toMatchObject({ ratingAverage: 4.25, ratingCount: 8 });
  });
});
