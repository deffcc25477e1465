import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@shop/security';
import type { FastifyReply } from 'fastify';
import { HEALTH_CHECKS, type HealthCheck, runHealthChecks } from './health-check';

@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[]) {}

  /** The process is up; restarting it would not help anything else. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Every dependency answers; until then the service takes no traffic. */
  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const report = await runHealthChecks(this.checks);
    await reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }
}
