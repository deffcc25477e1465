import { rotationWaitMs } from './key-rotation-rule';

describe('rotationWaitMs', () => {
  const rule = { minIntervalMs: 300_000, maxRetiredPublished: 5 };

  it('allows the first rotation at once', () => {
    expect(rotationWaitMs(rule, undefined, 1_000)).toBe(0);
  });

  it('refuses another until the interval since the last one has passed', () => {
    expect(rotationWaitMs(rule, 1_000, 1_000)).toBe(300_000);
    expect(rotationWaitMs(rule, 1_000, 241_000)).toBe(60_000);
    expect(rotationWaitMs(rule, 1_000, 301_000)).toBe(0);
  });

  it('never limits with an interval of 0', () => {
    expect(rotationWaitMs({ ...rule, minIntervalMs: 0 }, 1_000, 1_000)).toBe(0);
  });
});
