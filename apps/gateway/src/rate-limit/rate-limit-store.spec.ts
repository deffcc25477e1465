import { MemoryRateLimitStore } from './rate-limit-store';

describe('MemoryRateLimitStore', () => {
  it('counts hits per key within a window and resets after it', async () => {
    let now = 1_000;
    const store = new MemoryRateLimitStore(() => now);
    expect(await store.hit('a', 1000)).toEqual({ count: 1, resetMs: 1000 });
    now += 400;
    expect(await store.hit('a', 1000)).toEqual({ count: 2, resetMs: 600 });
    expect(await store.hit('b', 1000)).toEqual({ count: 1, resetMs: 1000 });
    now += 600;
    expect(await store.hit('a', 1000)).toEqual({ count: 1, resetMs: 1000 });
  });
});
