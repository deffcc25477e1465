import { Registry } from 'prom-client';
import { HealthMetrics, runHealthChecks } from './health-check';

const ok = (name: string, degradedImpact?: string) => ({ name, degradedImpact, check: async () => undefined });
const failing = (name: string, degradedImpact?: string) => ({ name, degradedImpact, check: () => Promise.reject(new Error(`${name} down`)) });

describe('runHealthChecks', () => {
  it('is ok when every check passes', async () => {
    expect(await runHealthChecks([ok('postgres'), ok('cache', 'slower')])).toEqual({
      status: 'ok',
      checks: { postgres: { status: 'ok', latencyMs: expect.any(Number) }, cache: { status: 'ok', latencyMs: expect.any(Number), critical: false } },
    });
  });

  it('is degraded, not failed, when only checks the service can do without fail, each saying what is lost', async () => {
    const report = await runHealthChecks([ok('postgres'), failing('cache', 'reads go to the database')]);
    expect(report.status).toBe('degraded');
    expect(report.checks.cache).toEqual({ status: 'error', latencyMs: expect.any(Number), error: 'cache down', critical: false, impact: 'reads go to the database' });
  });

  it('fails when a check the service needs fails, degraded ones or not', async () => {
    expect((await runHealthChecks([failing('postgres'), failing('cache', 'x')])).status).toBe('error');
    expect((await runHealthChecks([failing('postgres'), ok('cache', 'x')])).status).toBe('error');
  });

  it('counts a check that does not answer in time as failed', async () => {
    const hanging = { name: 'kafka', check: () => new Promise<void>(() => undefined) };
    const report = await runHealthChecks([hanging], 20);
    expect(report).toMatchObject({ status: 'error', checks: { kafka: { status: 'error', error: 'kafka did not answer within 20 ms' } } });
  });
});

describe('HealthMetrics', () => {
  it('sets one gauge per check and the status as one of ok, degraded, error', async () => {
    const registry = new Registry();
    const metrics = new HealthMetrics(registry);
    metrics.record(await runHealthChecks([ok('postgres'), failing('redis', 'no rate limits')]));
    let text = await registry.metrics();
    expect(text).toMatch(/shop_health_check_up\{check="postgres",critical="true"\} 1/);
    expect(text).toMatch(/shop_health_check_up\{check="redis",critical="false"\} 0/);
    expect(text).toMatch(/shop_health_status\{status="degraded"\} 1/);
    metrics.record(await runHealthChecks([ok('postgres'), ok('redis', 'no rate limits')]));
    text = await registry.metrics();
    expect(text).toMatch(/shop_health_status\{status="degraded"\} 0/);
    expect(text).toMatch(/shop_health_status\{status="ok"\} 1/);
    expect(text).toMatch(/shop_health_check_up\{check="redis",critical="false"\} 1/);
    // A second HealthMetrics on the same registry (a second controller) reuses the gauges.
    expect(() => new HealthMetrics(registry)).not.toThrow();
  });
});
