import { Inject, Injectable } from '@nestjs/common';
import { createEvent } from '@shop/contracts';
import { AppError } from '@shop/errors';
import { writeOutbox } from '@shop/messaging';
import { randomUUID } from 'node:crypto';
import { normalizeEmail } from '../credentials/email';
import { PasswordHasher } from '../credentials/password-hasher';
import { assertPasswordPolicy } from '../credentials/password-policy';
import { isUniqueViolation, PRISMA, type PrismaClient } from '../prisma';
import { DEFAULT_ROLE } from '../roles/roles.service';

export interface NewUser {
  email: string;
  password: string;
  name: string;
  roles?: string[];
}

@Injectable()
export class RegistrationService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly hasher: PasswordHasher,
  ) {}

  /** Creates the account and its user.registered event in one transaction: both or neither. */
  async register(input: NewUser): Promise<{ userId: string; email: string }> {
    const email = normalizeEmail(input.email);
    assertPasswordPolicy(input.password, email);
    const name = input.name.trim().slice(0, 200);
    const passwordHash = await this.hasher.hash(input.password);
    const userId = randomUUID();
    const roleNames = input.roles ?? [DEFAULT_ROLE];
    try {
      await this.prisma.$transaction(async (tx) => {
        const roles = await tx.role.findMany({ where: { name: { in: roleNames } } });
        await tx.user.create({
          data: { id: userId, email, passwordHash, roles: { create: roles.map((role) => ({ roleId: role.id })) } },
        });
        const event = createEvent('user.registered', userId, { userId, email, name, registeredAt: new Date().toISOString() });
        await writeOutbox(tx, [event]);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('already_exists', 'an account with this email already exists');
      throw error;
    }
    return { userId, email };
  }
}
