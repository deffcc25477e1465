import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@shop/security';
import type { FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import { HEALTH_CHECKS, HEALTH_METRICS_REGISTRY, type HealthCheck, HealthMetrics, runHealthChecks } from './health-check';

@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  private readonly metrics?: HealthMetrics;

  constructor(
    @Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[],
    @Optional() @Inject(HEALTH_METRICS_REGISTRY) registry?: Registry,
  ) {
    this.metrics = registry ? new HealthMetrics(registry) : undefined;
  }

  /** The process is up; restarting it would not help anything else. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Every dependency it needs answers (200 "ok"), or only ones it can do without fail (200
   * "degraded", each saying what is lost); else 503 and the service takes no traffic.
   */
  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const report = await runHealthChecks(this.checks);
    this.metrics?.record(report);
    await reply.status(report.status === 'error' ? 503 : 200).send(report);
  }
}
