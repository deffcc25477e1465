import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/contract';
import { KeyRotationView } from '../docs/views';
import type { authV1 } from '@shop/contracts';
import { RequirePermissions } from '@shop/security';
import { AUTH_CLIENT, type AuthClient, USER_CLIENT, type UserClient } from '../downstream/downstreams';
import { toProfileView } from '../users/users.controller';
import { ProfileView } from '../users/users.dto';
import { AccountLockView, LockAccountDto } from './account-lock.dto';
import { RoleListView, SetRolesDto, UserRolesView } from './admin.dto';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin')
export class AdminController {
  constructor(
    @Inject(AUTH_CLIENT) private readonly auth: AuthClient,
    @Inject(USER_CLIENT) private readonly users: UserClient,
  ) {}

  @Get('roles')
  @RequirePermissions('users:read')
  @ApiOkResponse({ type: RoleListView })
  async roles(): Promise<RoleListView> {
    const { roles } = await this.auth.call('listRoles', {});
    return { items: roles, total: roles.length, page: 1, limit: roles.length };
  }

  @Get('users/:id')
  @RequirePermissions('users:read')
  @ApiOkResponse({ type: ProfileView })
  async user(@Param('id', new ParseUUIDPipe()) id: string): Promise<ProfileView> {
    const [profile, access] = await Promise.all([this.users.call('getProfile', { userId: id }), this.auth.call('getUserRoles', { userId: id })]);
    return toProfileView(profile, access.roles);
  }

  @Get('users/:id/roles')
  @RequirePermissions('users:read')
  @ApiOkResponse({ type: UserRolesView })
  userRoles(@Param('id', new ParseUUIDPipe()) id: string): Promise<UserRolesView> {
    return this.auth.call('getUserRoles', { userId: id });
  }

  /** The user's access tokens issued before the change are refused within seconds; a refresh brings one with the new roles. */
  @Patch('users/:id/roles')
  @RequirePermissions('users:roles:write')
  @ApiOkResponse({ type: UserRolesView })
  @ApiErrors([422, 'A role does not exist, or the change would leave nobody able to manage roles'])
  setUserRoles(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: SetRolesDto): Promise<UserRolesView> {
    return this.auth.call('setUserRoles', { userId: id, roles: body.roles });
  }

  /** No login or refresh while locked, and every session of the account ends: its access tokens are refused within seconds. */
  @Post('users/:id/lock')
  @HttpCode(200)
  @RequirePermissions('users:lock')
  @ApiOkResponse({ type: AccountLockView })
  @ApiErrors([422, 'The last unlocked user able to manage roles cannot be locked'])
  async lock(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: LockAccountDto): Promise<AccountLockView> {
    return toAccountLockView(await this.auth.call('lockUser', { userId: id, reason: body?.reason ?? '' }));
  }

  /** The account may log in again; the sessions the lock ended stay ended. */
  @Post('users/:id/unlock')
  @HttpCode(200)
  @RequirePermissions('users:lock')
  @ApiOkResponse({ type: AccountLockView })
  async unlock(@Param('id', new ParseUUIDPipe()) id: string): Promise<AccountLockView> {
    return toAccountLockView(await this.auth.call('unlockUser', { userId: id }));
  }

  @Post('auth/keys/rotate')
  @HttpCode(200)
  @RequirePermissions('auth:keys:rotate')
  @ApiOkResponse({ type: KeyRotationView, description: 'The kid of the new signing key; tokens signed by the old key stay valid until they expire' })
  @ApiErrors([429, 'Within SIGNING_KEY_MIN_ROTATION_INTERVAL_SECONDS of the last rotation (Retry-After says until when), or too many requests'])
  rotateSigningKey(): Promise<{ kid: string }> {
    return this.auth.call('rotateSigningKey', {});
  }
}

function toAccountLockView(lock: authV1.AccountLock): AccountLockView {
  return { userId: lock.userId, locked: lock.locked, lockedAt: lock.lockedAt || null, reason: lock.reason };
}
