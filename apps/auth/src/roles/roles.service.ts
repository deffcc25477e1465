import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@shop/errors';
import { holdForAccessChange, isUserId, revokeAccessTokens } from '../access/user-access';
import { PRISMA, type PrismaClient, type Tx } from '../prisma';

export const DEFAULT_ROLE = 'customer';
/** The permission that lets someone change roles; the last holder cannot lose it. */
export const ROLE_ADMIN_PERMISSION = 'users:roles:write';

/** Taken by every change that could leave nobody able to manage roles (role changes, locks). */
export const ROLE_CHANGE_LOCK = 7330;

/** FAILED_PRECONDITION unless some unlocked user can still manage roles; under ROLE_CHANGE_LOCK. */
export async function assertRoleManagerLeft(tx: Tx): Promise<void> {
  const managers = await tx.userRole.count({
    where: { role: { permissions: { some: { permissionKey: ROLE_ADMIN_PERMISSION } } }, user: { lockedAt: null } },
  });
  if (managers === 0) {
    throw new AppError('failed_precondition', `at least one unlocked user must keep the ${ROLE_ADMIN_PERMISSION} permission`);
  }
}

export interface UserAccess {
  userId: string;
  roles: string[];
  permissions: string[];
}

/** Roles are data: each grants permissions, and callers check permissions, never role names. */
@Injectable()
export class RolesService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** The user's roles and permissions now; within `tx` when given (tokens are issued in one). */
  async accessOf(userId: string, tx?: Tx): Promise<UserAccess> {
    const grants = await (tx ?? this.prisma).userRole.findMany({
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

  /**
   * Replaces a user's roles. Refuses unknown roles, and a change that would leave nobody able to
   * manage roles. A change revokes the user's access tokens issued so far (they carry the old
   * permissions); their refresh tokens stay good and bring tokens with the new roles.
   */
  async setRoles(userId: string, roleNames: string[]): Promise<UserAccess> {
    const wanted = [...new Set(roleNames.map((name) => name.trim()).filter(Boolean))];
    if (wanted.length === 0) throw AppError.invalid('roles must name at least one role');
    await this.prisma.$transaction(async (tx) => {
      // Serialises role changes so two admins cannot demote each other at once.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ROLE_CHANGE_LOCK})`;
      if (!isUserId(userId) || !(await holdForAccessChange(tx, userId))) throw AppError.notFound('user not found');
      const roles = await tx.role.findMany({ where: { name: { in: wanted } } });
      const unknown = wanted.filter((name) => !roles.some((role) => role.name === name));
      // Which roles exist is data, not the request's shape: 422, as the other refusals of a change.
      if (unknown.length > 0) throw new AppError('failed_precondition', `unknown role: ${unknown.join(', ')}`);
      const before = (await tx.userRole.findMany({ where: { userId }, select: { roleId: true } })).map((grant) => grant.roleId);
      await tx.userRole.deleteMany({ where: { userId } });
      await tx.userRole.createMany({ data: roles.map((role) => ({ userId, roleId: role.id })) });
      await assertRoleManagerLeft(tx);
      const changed = before.length !== roles.length || roles.some((role) => !before.includes(role.id));
      if (changed) await revokeAccessTokens(tx, userId, 'roles_changed');
    });
    return this.accessOf(userId);
  }
}
