import { AppError } from '@shop/errors';
import { type SearchRequest, searchQueryOf } from './search-request';

const asked = (changes: Partial<SearchRequest>): SearchRequest => ({ q: '', category: '', attributes: [], sort: '', page: 0, limit: 0, ...changes });

function refusal(request: SearchRequest): string {
  try {
    searchQueryOf(request, 100);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).kind).toBe('invalid_argument');
    return (error as AppError).message;
  }
  throw new Error('accepted');
}

describe('searchQueryOf', () => {
  it('fills in the first page, the default size and the sort', () => {
    expect(searchQueryOf(asked({}), 100)).toEqual({ query: { q: undefined, sort: 'newest', page: 1, limit: 20, minPrice: undefined, maxPrice: undefined }, category: undefined });
    expect(searchQueryOf(asked({ q: ' jacket ', category: 'outerwear' }), 100)).toMatchObject({ query: { q: 'jacket', sort: 'relevance' }, category: 'outerwear' });
  });

  it('gathers repeated attribute filters by name', () => {
    const { query } = searchQueryOf(asked({ attributes: [{ name: 'Colour', values: ['red'] }, { name: 'colour', values: ['blue'] }] }), 100);
    expect(query.attributes).toEqual({ colour: ['red', 'blue'] });
  });

  it('refuses attribute names a plain object answers to (attr.constructor once reached Object.prototype as a 500)', () => {
    expect(refusal(asked({ attributes: [{ name: 'constructor', values: ['x'] }] }))).toBe('attr.constructor: "constructor" is a reserved name, not an attribute name');
    expect(refusal(asked({ attributes: [{ name: 'has space', values: ['x'] }] }))).toMatch(/lower-case word/);
  });

  it('refuses price bounds past the 32-bit price column, pages past the result window and sizes past the cap', () => {
    expect(refusal(asked({ minPrice: 2_147_483_648 }))).toBe('minPrice must be a whole number of minor units from 0 to 2147483647');
    expect(refusal(asked({ page: 10_001, limit: 101 }))).toBe('page must be a whole number from 1 to 10000; limit must be a whole number from 1 to 100');
    // A range nothing falls in finds nothing; it is not a mistake (the OpenAPI document cannot say it is).
    expect(searchQueryOf(asked({ minPrice: 10, maxPrice: 5 }), 100).query).toMatchObject({ minPrice: 10, maxPrice: 5 });
  });
});
