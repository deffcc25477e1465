import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  let now = 0;
  const breaker = () => new CircuitBreaker({ failureThreshold: 3, openMs: 1000, now: () => now });

  beforeEach(() => {
    now = 0;
  });

  it('stays closed until the threshold of consecutive failures', () => {
    const b = breaker();
    b.onFailure();
    b.onFailure();
    expect(b.state).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
    b.onFailure();
    expect(b.state).toBe('open');
    expect(b.tryAcquire()).toBe(false);
  });

  it('a success resets the count', () => {
    const b = breaker();
    b.onFailure();
    b.onFailure();
    b.onSuccess();
    b.onFailure();
    expect(b.state).toBe('closed');
  });

  it('lets exactly one probe through after the open period, and closes when it succeeds', () => {
    const b = breaker();
    for (let i = 0; i < 3; i += 1) b.onFailure();
    now = 1000;
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.onSuccess();
    expect(b.state).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
  });

  it('re-opens for a full period when the probe fails', () => {
    const b = breaker();
    for (let i = 0; i < 3; i += 1) b.onFailure();
    now = 1500;
    expect(b.tryAcquire()).toBe(true);
    b.onFailure();
    expect(b.state).toBe('open');
    now = 2400;
    expect(b.tryAcquire()).toBe(false);
    now = 2500;
    expect(b.tryAcquire()).toBe(true);
  });

  it('counts only unhealthy calls; a call that says nothing neither counts nor resets, and frees the probe', () => {
    const b = breaker();
    b.record('unhealthy');
    b.record('says-nothing');
    b.record('unhealthy');
    expect(b.state).toBe('closed');
    b.record('unhealthy');
    expect(b.state).toBe('open');
    now = 1000;
    expect(b.tryAcquire()).toBe(true);
    b.record('says-nothing');
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire()).toBe(true);
    b.record('healthy');
    expect(b.state).toBe('closed');
  });

  it('tells how long an open circuit still refuses calls', () => {
    const b = breaker();
    expect(b.retryAfterMs).toBe(0);
    for (let i = 0; i < 3; i += 1) b.onFailure();
    now = 300;
    expect(b.retryAfterMs).toBe(700);
    now = 1000;
    expect(b.retryAfterMs).toBe(0);
  });
});

