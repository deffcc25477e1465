import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@shop/errors';
import { PRISMA, type PrismaClient } from '../prisma';

export const DEFAULT_ROLE = 'customer';
/** The permission that lets someone change roles; the last holder cannot lose it. */
export const ROLE_ADMIN_PERMISSION = 'users:roles:write';

export interface UserAccess {
  userId: string;
  roles: string[];
  permissions: string[];
}

/** Roles are data: each grants permissions, and callers check permissions, never role names. */
@Injectable()
export class RolesService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async accessOf(userId: string): Promise<UserAccess> {
    const grants = await this.prisma.userRole.findMany({
      where: { userId },
      select: { role: { select: { name: true, permissions: { select: { permissionKey: true } } } } },
    });
    const roles = grants.map((grant) => grant.role.name).sort();
    const permissions = [...new Set(grants.flatMap((grant) => grant.role.permissions.map((p) => p.permissionKey)))].sort();
    return { userId, roles, permissions };
  }

  async listRoles(): Promise<Array<{ name: string; description: string; permissions: string[] }>> {
    const roles = await this.prisma.role.findMany({ orderBy: { name: 'asc' }, include: { permissions: true } });
    return roles.map((role) => ({
      name: role.name,
      description: role.description,
      permissions: role.permissions.map((p) => p.permissionKey).sort(),
    }));
  }

  /** Replaces a user's roles. Refuses unknown roles, and a change that would leave nobody able to manage roles. */
  async setRoles(userId: string, roleNames: string[]): Promise<UserAccess> {
    const wanted = [...new Set(roleNames.map((name) => name.trim()).filter(Boolean))];
    if (wanted.length === 0) throw AppError.invalid('roles must name at least one role');
    await this.prisma.$transaction(async (tx) => {
      // Serialises role changes so two admins cannot demote each other at once.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(7330)`;
      const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
      if (!user) throw AppError.notFound('user not found');
      const roles = await tx.role.findMany({ where: { name: { in: wanted } } });
      const unknown = wanted.filter((name) => !roles.some((role) => role.name === name));
      if (unknown.length > 0) throw AppError.invalid(`unknown role: ${unknown.join(', ')}`);
      await tx.userRole.deleteMany({ where: { userId } });
      await tx.userRole.createMany({ data: roles.map((role) => ({ userId, roleId: role.id })) });
      const managers = await tx.userRole.count({
        where: { role: { permissions: { some: { permissionKey: ROLE_ADMIN_PERMISSION } } } },
      });
      if (managers === 0) {
        throw new AppError('failed_precondition', `at least one user must keep the ${ROLE_ADMIN_PERMISSION} permission`);
      }
    });
    return this.accessOf(userId);
  }
}
