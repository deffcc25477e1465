import { Random } from './random';

describe('Random.shuffle', () => {
  const items = Array.from({ length: 50 }, (_, i) => i);

  it('puts every item in a new order, the same for the same seed, and leaves the input alone', () => {
    const once = new Random(42).shuffle(items);
    expect([...once].sort((a, b) => a - b)).toEqual(items);
    expect(once).not.toEqual(items);
    expect(new Random(42).shuffle(items)).toEqual(once);
    expect(new Random(43).shuffle(items)).not.toEqual(once);
    expect(items[0]).toBe(0);
  });

  it('moves each item with even odds over many draws', () => {
    const random = new Random(7);
    const firsts = new Array<number>(4).fill(0);
    for (let n = 0; n < 4000; n += 1) firsts[random.shuffle([0, 1, 2, 3])[0]!]! += 1;
    for (const count of firsts) expect(count).toBeGreaterThan(850);
  });
});
