import { ReadsAfterArrival } from './reads-after-arrival';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ReadsAfterArrival', () => {
  it('starts a read for the first caller; callers during it share the next one, started after it ends', async () => {
    const reads = new ReadsAfterArrival<number>();
    const started: Array<ReturnType<typeof deferred<number>>> = [];
    const read = () => {
      const next = deferred<number>();
      started.push(next);
      return next.promise;
    };
    const first = reads.read('p1', read);
    const second = reads.read('p1', read);
    const third = reads.read('p1', read);
    expect(started).toHaveLength(1);
    started[0]!.resolve(1);
    expect(await first).toBe(1);
    await tick();
    expect(started).toHaveLength(2);
    started[1]!.resolve(2);
    expect(await second).toBe(2);
    expect(await third).toBe(2);
    // Nothing running any more: the next caller starts a read of its own.
    const fourth = reads.read('p1', read);
    expect(started).toHaveLength(3);
    started[2]!.resolve(3);
    expect(await fourth).toBe(3);
  });

  it('keeps keys apart', async () => {
    const reads = new ReadsAfterArrival<string>();
    const [a, b] = await Promise.all([reads.read('p1', async () => 'a'), reads.read('p2', async () => 'b')]);
    expect([a, b]).toEqual(['a', 'b']);
  });

  it('hands a failure to the callers of that read only; the next read runs anew', async () => {
    const reads = new ReadsAfterArrival<number>();
    const failing = deferred<number>();
    const first = reads.read('p1', () => failing.promise);
    const second = reads.read('p1', async () => 2);
    failing.reject(new Error('down'));
    await expect(first).rejects.toThrow('down');
    expect(await second).toBe(2);
  });
});
