/** One dependency a service needs to do its work: its database, Kafka, Redis… */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

export interface ReadinessReport {
  status: 'ok' | 'error';
  checks: Record<string, { status: 'ok' | 'error'; latencyMs: number; error?: string }>;
}

export async function runHealthChecks(checks: HealthCheck[], timeoutMs = 2000): Promise<ReadinessReport> {
  const entries = await Promise.all(
    checks.map(async (check) => {
      const started = performance.now();
      try {
        await withTimeout(check.check(), timeoutMs, `${check.name} did not answer within ${timeoutMs} ms`);
        return [check.name, { status: 'ok' as const, latencyMs: Math.round(performance.now() - started) }] as const;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [check.name, { status: 'error' as const, latencyMs: Math.round(performance.now() - started), error: message }] as const;
      }
    }),
  );
  const result: ReadinessReport['checks'] = Object.fromEntries(entries);
  return { status: Object.values(result).every((c) => c.status === 'ok') ? 'ok' : 'error', checks: result };
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
