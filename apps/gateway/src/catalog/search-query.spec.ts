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

  it('reads minRating (0 to 5, up to two decimals) and sort=rating', () => {
    expect(parseSearchQuery({ minRating: '4.5', sort: 'rating' })).toMatchObject({ minRating: 4.5, sort: 'rating' });
    expect(parseSearchQuery({ minRating: '4' }).minRating).toBe(4);
    for (const bad of ['6', '-1', 'four', '4.555', '']) expect(() => parseSearchQuery({ minRating: bad })).toThrow(BadRequestException);
    // Given but empty is no number (the OpenAPI document says a number, or nothing).
    for (const name of ['minPrice', 'maxPrice', 'page', 'limit']) expect(() => parseSearchQuery({ [name]: '' })).toThrow(BadRequestException);
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
      message: ['unknown query parameter colour', 'q must be given once', 'minPrice must be a whole number from 0 to 2147483647', 'limit must be a whole number from 1 to 100'],
    });
  });

  it('refuses numbers the gRPC call or the price column cannot hold, and attribute names a plain object answers to', () => {
    const problems = (query: Record<string, unknown>) => {
      try {
        parseSearchQuery(query);
      } catch (error) {
        return (error as BadRequestException).getResponse() as { message: string[] };
      }
      throw new Error('accepted');
    };
    expect(problems({ page: '2147483648' }).message).toEqual(['page must be a whole number from 1 to 10000']);
    expect(problems({ page: '0', limit: '101' }).message).toEqual(['page must be a whole number from 1 to 10000', 'limit must be a whole number from 1 to 100']);
    expect(problems({ minPrice: '2147483648', maxPrice: '99999999999' }).message).toEqual([
      'minPrice must be a whole number from 0 to 2147483647',
      'maxPrice must be a whole number from 0 to 2147483647',
    ]);
    expect(problems({ 'attr.constructor': 'x' }).message).toEqual(['attr.constructor: "constructor" is a reserved name, not an attribute name']);
    expect(problems({ 'attr.Colour': 'red' }).message[0]).toMatch(/^attr.Colour: attribute name "Colour" must be a lower-case word/);
  });

  it('takes attribute values exactly as the OpenAPI document describes them', () => {
    const problems = (value: string) => {
      try {
        parseSearchQuery({ 'attr.colour': value });
        return undefined;
      } catch (error) {
        return ((error as BadRequestException).getResponse() as { message: string[] }).message;
      }
    };
    expect(parseSearchQuery({ 'attr.colour': 'navy blue,red' }).attributes).toEqual([{ name: 'colour', values: ['navy blue', 'red'] }]);
    for (const bad of ['', ' red', 'red ', 'red,', ',red', 'red,,blue', 'red, blue', 'x'.repeat(101)]) expect(problems(bad)).toBeDefined();
    expect(problems('x'.repeat(100))).toBeUndefined();
    expect(parseSearchQuery({ 'attr.a': 'x', 'attr.b': 'y' }).attributes).toHaveLength(2);
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, index) => [`attr.a${index}`, 'x']));
    expect(() => parseSearchQuery(many)).toThrow(BadRequestException);
  });
});
