import { SLUG_PATTERN, slugify } from './slug';

describe('slugify', () => {
  it.each([
    ["Men's Shoes & Boots", 'mens-shoes-boots'],
    ['  Café Crème  ', 'cafe-creme'],
    ['T-Shirts', 't-shirts'],
    ['100% Wool', '100-wool'],
    // Cut at 80 characters, never ending on a dash.
    [`${'a'.repeat(79)} b`, 'a'.repeat(79)],
  ])('%p -> %p', (name, slug) => {
    expect(slugify(name)).toBe(slug);
    expect(slug).toMatch(SLUG_PATTERN);
  });
});
