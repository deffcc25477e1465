export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * What one call says about the dependency's health: it answered (healthy), it is away or
 * overwhelmed (unhealthy), or the outcome was about the call itself and says nothing either way.
 */
export type CallVerdict = 'healthy' | 'unhealthy' | 'says-nothing';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before letting one probe through. */
  openMs: number;
  now?: () => number;
}

/**
 * Stops callers hammering a dependency that is down: after `failureThreshold` consecutive
 * failures it refuses calls for `openMs`, then lets a single probe decide whether to close.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.failures < this.options.failureThreshold) return 'closed';
    return this.now() - this.openedAt >= this.options.openMs ? 'half-open' : 'open';
  }

  /** How long an open circuit still refuses calls; 0 once a probe may go. */
  get retryAfterMs(): number {
    if (this.state !== 'open') return 0;
    return Math.max(0, this.openedAt + this.options.openMs - this.now());
  }

  /** Whether a call may go ahead now; a caller that gets true must report success or failure. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  onSuccess(): void {
    this.failures = 0;
    this.probeInFlight = false;
  }

  onFailure(): void {
    this.probeInFlight = false;
    this.failures += 1;
    if (this.failures >= this.options.failureThreshold) this.openedAt = this.now();
  }

  /** A call that ended without saying anything about the dependency's health. */
  onNeutral(): void {
    this.probeInFlight = false;
  }

  /** Reports a call that `tryAcquire` let through. */
  record(verdict: CallVerdict): void {
    if (verdict === 'healthy') this.onSuccess();
    else if (verdict === 'unhealthy') this.onFailure();
    else this.onNeutral();
  }
}
