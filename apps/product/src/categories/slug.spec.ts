import { SLUG_PATTERN, slugify } from './slug';

describe('slugify', () => {
  it.each([
    ["Men's Shoes & Boots", 'mens-shoes-boots'],
    ['  Café Crème  ', 'cafe-creme'],
    ['T-Shirts', 't-shirts'],
    ['100% Wool', '100-wool'],
  ])('%p -> %p', (name, slug) => {
    expect(slugify(name)).toBe(slug);
    expect(slug).toMatch(SLUG_PATTERN);
  });
});
