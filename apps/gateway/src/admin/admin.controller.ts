import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '@shop/security';
import { AUTH_CLIENT, type AuthClient, USER_CLIENT, type UserClient } from '../downstream/downstreams';
import { toProfileView } from '../users/users.controller';
import { ProfileView } from '../users/users.dto';
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

  /** Takes effect at the user's next login or token refresh. */
  @Patch('users/:id/roles')
  @RequirePermissions('users:roles:write')
  @ApiOkResponse({ type: UserRolesView })
  setUserRoles(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: SetRolesDto): Promise<UserRolesView> {
    return this.auth.call('setUserRoles', { userId: id, roles: body.roles });
  }

  @Post('auth/keys/rotate')
  @HttpCode(200)
  @RequirePermissions('auth:keys:rotate')
  @ApiOkResponse({ description: 'The kid of the new signing key; tokens signed by the old key stay valid until they expire' })
  rotateSigningKey(): Promise<{ kid: string }> {
    return this.auth.call('rotateSigningKey', {});
  }
}
