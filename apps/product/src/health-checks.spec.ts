import { HealthMetrics, runHealthChecks } from '@shop/health';
import { Registry } from 'prom-client';
import { CACHE_DEGRADED_IMPACT, productHealthChecks, SEARCH_DEGRADED_IMPACT } from './health-checks';

const up = { ping: async () => undefined };
const down = (message: string) => ({
  ping: async () => {
    throw new Error(message);
  },
});
const database = (ok: boolean) => ({ name: 'postgres', check: ok ? async () => undefined : () => Promise.reject(new Error('connection refused')) });

describe('product readiness', () => {
  it('stays ready, degraded, when Elasticsearch is down: searches fail, products are served', async () => {
    const report = await runHealthChecks(productHealthChecks(database(true), { kind: 'elasticsearch', ...down('ECONNREFUSED 9200') }, up));
    expect(report.status).toBe('degraded');
    expect(report.checks.search).toEqual({
      status: 'error',
      latencyMs: expect.any(Number),
      error: 'ECONNREFUSED 9200',
      critical: false,
      impact: `${SEARCH_DEGRADED_IMPACT} (elasticsearch)`,
    });
    expect(report.checks.postgres).toMatchObject({ status: 'ok' });
  });

  it('stays ready, degraded, when Redis (the detail cache) is down', async () => {
    const report = await runHealthChecks(productHealthChecks(database(true), { kind: 'elasticsearch', ...up }, down('Connection is closed.')));
    expect(report.status).toBe('degraded');
    expect(report.checks.cache).toMatchObject({ status: 'error', critical: false, impact: CACHE_DEGRADED_IMPACT });
  });

  it('is unready without its database, whatever else answers', async () => {
    expect((await runHealthChecks(productHealthChecks(database(false), { kind: 'elasticsearch', ...up }, up))).status).toBe('error');
  });

  it('keeps the database check apart from Postgres search (no shadowing by name)', async () => {
    const report = await runHealthChecks(productHealthChecks(database(false), { kind: 'postgres', ...up }, up));
    expect(Object.keys(report.checks).sort()).toEqual(['cache', 'postgres', 'search']);
    expect(report.status).toBe('error');
  });

  it('shows the degradation on /metrics', async () => {
    const registry = new Registry();
    new HealthMetrics(registry).record(await runHealthChecks(productHealthChecks(database(true), { kind: 'elasticsearch', ...down('down') }, up)));
    const text = await registry.metrics();
    expect(text).toMatch(/shop_health_status\{status="degraded"\} 1/);
    expect(text).toMatch(/shop_health_status\{status="ok"\} 0/);
    expect(text).toMatch(/shop_health_check_up\{check="search",critical="false"\} 0/);
    expect(text).toMatch(/shop_health_check_up\{check="postgres",critical="true"\} 1/);
  });
});
