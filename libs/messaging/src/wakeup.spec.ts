import { Wakeup } from './wakeup';

describe('Wakeup', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sleeps for the interval when nothing signals', async () => {
    const wakeup = new Wakeup();
    let woke = false;
    void wakeup.sleep(1000).then(() => (woke = true));
    await jest.advanceTimersByTimeAsync(999);
    expect(woke).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(woke).toBe(true);
  });

  it('wakes a sleeper at once on a signal', async () => {
    const wakeup = new Wakeup();
    let woke = false;
    void wakeup.sleep(60_000).then(() => (woke = true));
    wakeup.signal();
    await Promise.resolve();
    expect(woke).toBe(true);
  });

  it('keeps a signal given while nobody slept for the next sleep, once', async () => {
    const wakeup = new Wakeup();
    wakeup.signal();
    let first = false;
    void wakeup.sleep(60_000).then(() => (first = true));
    await Promise.resolve();
    expect(first).toBe(true);
    let second = false;
    void wakeup.sleep(1000).then(() => (second = true));
    await jest.advanceTimersByTimeAsync(500);
    expect(second).toBe(false);
  });
});
