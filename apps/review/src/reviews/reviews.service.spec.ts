import { publishedTotal } from './reviews.service';

describe('publishedTotal', () => {
  const summary = { productId: 'p1', average: 3.4, count: 10, histogram: [1, 2, 0, 3, 4] as [number, number, number, number, number] };

  it('is the count of published reviews without a rating filter', () => {
    expect(publishedTotal(summary, 0)).toBe(10);
  });

  it('is the histogram bar of the rating asked for', () => {
    expect(publishedTotal(summary, 1)).toBe(1);
    expect(publishedTotal(summary, 3)).toBe(0);
    expect(publishedTotal(summary, 5)).toBe(4);
  });
});
