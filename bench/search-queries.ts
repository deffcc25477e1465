// What shoppers type, each within a category, as the search benchmark sends them. They cover
// plain words, two-word queries, diacritics typed without accents ("cafe" finds "Café"), a typo
// and a prefix, since each takes a different path through the query.
export interface BenchQuery {
  q: string;
  /** A category slug from the demo catalogue. */
  category: string;
}

export const SEARCH_QUERIES: BenchQuery[] = [
  { q: 'merino jumper', category: 'clothing' },
  { q: 'waterproof jacket', category: 'clothing' },
  { q: 'cashmere', category: 'womens-clothing' },
  { q: 'oxford shirt', category: 'mens-clothing' },
  { q: 'leather boots', category: 'shoes' },
  { q: 'trail running', category: 'running-shoes' },
  { q: 'cafe', category: 'home-kitchen' },
  { q: 'creme', category: 'beauty' },
  { q: 'chef knife', category: 'home-kitchen' },
  { q: 'cast iron pan', category: 'cookware' },
  { q: 'espresso', category: 'coffee-tea' },
  { q: 'linen', category: 'bedding' },
  { q: 'wireless headphones', category: 'electronics' },
  { q: 'hedphones', category: 'audio' },
  { q: 'usb-c charger', category: 'mobile' },
  { q: 'tent', category: 'camping-hiking' },
  { q: 'yoga mat', category: 'sports-outdoors' },
  { q: 'serum', category: 'skincare' },
  { q: 'board game', category: 'toys-games' },
  { q: 'detect', category: 'books' },
];
