import { BatchCoalescer } from './batch-coalescer';

describe('BatchCoalescer', () => {
  it('delivers what several callers hand in at about the same time once, together, and answers each caller', async () => {
    const deliveries: number[][] = [];
    const coalescer = new BatchCoalescer<number>(async (items) => void deliveries.push(items));
    await Promise.all([coalescer.submit([1, 2]), coalescer.submit([3]), coalescer.submit([4, 5])]);
    expect(deliveries).toEqual([[1, 2, 3, 4, 5]]);
    await coalescer.submit([6]);
    expect(deliveries).toEqual([[1, 2, 3, 4, 5], [6]]);
  });

  it('fails every caller of a delivery that failed', async () => {
    const coalescer = new BatchCoalescer<number>(async () => {
      throw new Error('database away');
    });
    const results = await Promise.allSettled([coalescer.submit([1]), coalescer.submit([2])]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
