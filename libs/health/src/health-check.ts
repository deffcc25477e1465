import { Gauge, type Registry } from 'prom-client';

/** One dependency a service needs to do its work: its database, Kafka, Redis… */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
  /**
   * Set for a dependency the service can do without, saying what is lost meanwhile (e.g. "rate
   * limits are not enforced"). Such a check failing leaves the service ready, its readiness
   * "degraded" (HTTP 200) with this in the detail, instead of unready (503): an outage of a cache
   * or a search engine must not take every replica out of its Service and turn a partial outage
   * into a full one. Unset: the service cannot work without it.
   */
  degradedImpact?: string;
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

/** The registry the readiness gauges go to (the service's /metrics); optional. */
export const HEALTH_METRICS_REGISTRY = Symbol('HEALTH_METRICS_REGISTRY');

export interface CheckResult {
  status: 'ok' | 'error';
  latencyMs: number;
  error?: string;
  /** false for a check the service can do without (HealthCheck.degradedImpact). */
  critical?: false;
  /** What is lost while this non-critical check fails. */
  impact?: string;
}

export interface ReadinessReport {
  /** ok: every check passes; degraded: only checks the service can do without fail (still ready); error: not ready. */
  status: 'ok' | 'degraded' | 'error';
  checks: Record<string, CheckResult>;
}

export async function runHealthChecks(checks: HealthCheck[], timeoutMs = 2000): Promise<ReadinessReport> {
  const entries = await Promise.all(
    checks.map(async (check): Promise<[string, CheckResult]> => {
      const started = performance.now();
      const optional = check.degradedImpact !== undefined ? { critical: false as const } : {};
      try {
        await withTimeout(check.check(), timeoutMs, `${check.name} did not answer within ${timeoutMs} ms`);
        return [check.name, { status: 'ok', latencyMs: Math.round(performance.now() - started), ...optional }];
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const impact = check.degradedImpact !== undefined ? { impact: check.degradedImpact } : {};
        return [check.name, { status: 'error', latencyMs: Math.round(performance.now() - started), error: message, ...optional, ...impact }];
      }
    }),
  );
  const result: ReadinessReport['checks'] = Object.fromEntries(entries);
  const failed = Object.values(result).filter((c) => c.status === 'error');
  const status = failed.length === 0 ? 'ok' : failed.every((c) => c.critical === false) ? 'degraded' : 'error';
  return { status, checks: result };
}

/**
 * Readiness as metrics, as of the last readiness check (the probe asks every few seconds):
 * shop_health_check_up{check,critical} 1 or 0 per check, and shop_health_status{status} 1 for the
 * current one of ok, degraded and error. Alert on shop_health_status{status="degraded"} == 1: a
 * degraded service stays in its Service, so nothing else shows it.
 */
export class HealthMetrics {
  private readonly up: Gauge<'check' | 'critical'>;
  private readonly status: Gauge<'status'>;

  constructor(registry: Registry) {
    this.up = gauge(registry, 'shop_health_check_up', 'Whether each readiness check passed at the last readiness check (1) or not (0)', ['check', 'critical']);
    this.status = gauge(registry, 'shop_health_status', 'Readiness at the last readiness check: 1 for the current status (ok, degraded, error)', ['status']);
  }

  record(report: ReadinessReport): void {
    for (const [check, result] of Object.entries(report.checks)) {
      this.up.set({ check, critical: result.critical === false ? 'false' : 'true' }, result.status === 'ok' ? 1 : 0);
    }
    for (const status of ['ok', 'degraded', 'error'] as const) this.status.set({ status }, report.status === status ? 1 : 0);
  }
}

function gauge<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]): Gauge<L> {
  return (registry.getSingleMetric(name) as Gauge<L> | undefined) ?? new Gauge({ name, help, labelNames, registers: [registry] });
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
