import { BadRequestException } from '@nestjs/common';
import { parseSearchQuery } from './search-query';

describe('parseSearchQuery', () => {
  it('reads filters, numbers and repeated or comma-separated attribute values', () => {
    expect(
      parseSearchQuery({ q: 'jacket', category: 'outerwear', minPrice: '1000', maxPrice: '5000', sort: 'price_asc', page: '2', limit: '10', 'attr.colour': ['red', 'blue,green'], 'attr.size': 'M' }),
    ).toEqual({
      q: 'jacket',
      category: 'outerwear',
      minPrice: 1000,
      maxPrice: 5000,
      sort: 'price_asc',
      page: 2,
      limit: 10,
      attributes: [
        { name: 'colour', values: ['red', 'blue', 'green'] },
        { name: 'size', values: ['M'] },
      ],
    });
  });

  it('lists every problem in one 400', () => {
    let caught: unknown;
    try {
      parseSearchQuery({ minPrice: '-5', limit: 'ten', colour: 'red', q: ['a', 'b'] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BadRequestException);
    expect((caught as BadRequestException).getResponse()).toMatchObject({
      message: ['unknown query parameter colour', 'q must be given once', 'minPrice must be a whole, non-negative number', 'limit must be a whole, non-negative number'],
    });
  });
});
