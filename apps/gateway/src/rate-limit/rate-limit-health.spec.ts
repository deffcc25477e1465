import { HealthController } from '@shop/health';
import { Registry } from 'prom-client';
import { gatewayRedisHealthCheck, REDIS_DEGRADED_IMPACT } from './rate-limit-store.provider';

/** The reply the controller sends, captured. */
function fakeReply() {
  const sent: { status?: number; body?: unknown } = {};
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    async send(body: unknown) {
      sent.body = body;
    },
  };
  return { reply, sent };
}

describe('gateway readiness with Redis away', () => {
  it('stays ready (200, "degraded", saying rate limits are not enforced) since the limiter fails open, and says so on /metrics', async () => {
    const redis = { ping: () => Promise.reject(new Error("Stream isn't writeable and enableOfflineQueue options is false")) };
    const registry = new Registry();
    const controller = new HealthController([gatewayRedisHealthCheck(redis as never)], registry);
    const { reply, sent } = fakeReply();
    await controller.ready(reply as never);
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ status: 'degraded', checks: { redis: { status: 'error', critical: false, impact: REDIS_DEGRADED_IMPACT } } });
    expect(await registry.metrics()).toMatch(/shop_health_status\{status="degraded"\} 1/);
  });

  it('is "ok" again once Redis answers', async () => {
    const controller = new HealthController([gatewayRedisHealthCheck({ ping: async () => 'PONG' } as never)]);
    const { reply, sent } = fakeReply();
    await controller.ready(reply as never);
    expect(sent).toEqual({ status: 200, body: { status: 'ok', checks: { redis: { status: 'ok', latencyMs: expect.any(Number), critical: false } } } });
  });
});
