import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, LOGGER } from '@shop/service-kit';
import type { Logger } from 'pino';
import type { AuthConfig } from './config';
import { normalizeEmail } from './credentials/email';
import { PRISMA, type PrismaClient } from './prisma';
import { RegistrationService } from './registration/registration.service';

/** The first admin comes from ADMIN_EMAIL and ADMIN_PASSWORD: created if missing, given the admin role if not. */
@Injectable()
export class AdminBootstrap {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: AuthConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly registration: RegistrationService,
  ) {}

  async ensureAdmin(): Promise<void> {
    const { ADMIN_EMAIL, ADMIN_PASSWORD } = this.config;
    if (!ADMIN_EMAIL || !ADMIN_PASSWORD) return;
    const email = normalizeEmail(ADMIN_EMAIL);
    const existing = await this.prisma.user.findUnique({ where: { email }, select: { id: true } });
    if (!existing) {
      try {
        await this.registration.register({ email, password: ADMIN_PASSWORD, name: 'Administrator', roles: ['admin', 'customer'] });
        this.logger.info({ email }, 'created the first admin from ADMIN_EMAIL');
      } catch (error) {
        // Another replica may have created it at the same moment.
        if ((error as { kind?: string }).kind !== 'already_exists') throw error;
      }
      return;
    }
    const admin = await this.prisma.role.findUniqueOrThrow({ where: { name: 'admin' } });
    await this.prisma.userRole.upsert({
      where: { userId_roleId: { userId: existing.id, roleId: admin.id } },
      create: { userId: existing.id, roleId: admin.id },
      update: {},
    });
  }
}
