import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../docs/contract';
import type { userV1 } from '@shop/contracts';
import { CurrentPrincipal, type Principal, RequirePermissions } from '@shop/security';
import type { AnswerCache } from '../caching/answer-cache';
import { PROFILE_CACHE } from '../caching/answer-caches.provider';
import { USER_CLIENT, type UserClient } from '../downstream/downstreams';
import { SomeChangePipe } from '../validation/some-change.pipe';
import { profileTag } from './profile-events.consumer';
import { AddressDto, AddressListView, AddressView, ProfileView, UpdateAddressDto, UpdateProfileDto } from './users.dto';

export function toAddressView({ userId: _userId, ...address }: userV1.Address): AddressView {
  return address;
}

export function toProfileView(profile: userV1.Profile, roles: string[]): ProfileView {
  const { userId, ...rest } = profile;
  return { id: userId, ...rest, roles };
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('users/me')
export class UsersController {
  constructor(
    @Inject(USER_CLIENT) private readonly users: UserClient,
    @Inject(PROFILE_CACHE) private readonly profiles: AnswerCache,
  ) {}

  /** The profile as the user service last answered it, until user.profile_changed drops it. */
  @Get()
  @RequirePermissions('profile:read')
  @ApiOkResponse({ type: ProfileView })
  async me(@CurrentPrincipal() principal: Principal): Promise<ProfileView> {
    const kept = this.profiles.get(principal.id);
    if (kept) return toProfileView(JSON.parse(kept.body) as userV1.Profile, principal.roles);
    const ticket = this.profiles.begin();
    const profile = await this.users.call('getProfile', { userId: principal.id });
    this.profiles.put(principal.id, ticket, JSON.stringify(profile), [profileTag(principal.id)]);
    return toProfileView(profile, principal.roles);
  }

  @Patch()
  @RequirePermissions('profile:write')
  @ApiOkResponse({ type: ProfileView })
  async update(@CurrentPrincipal() principal: Principal, @Body(SomeChangePipe) body: UpdateProfileDto): Promise<ProfileView> {
    const profile = await this.users.call('updateProfile', { userId: principal.id, ...body });
    // This replica reads its own write at once; the others when the event reaches them.
    this.profiles.invalidate([profileTag(principal.id)]);
    return toProfileView(profile, principal.roles);
  }

  @Get('addresses')
  @RequirePermissions('profile:read')
  @ApiOkResponse({ type: AddressListView })
  async addresses(@CurrentPrincipal() principal: Principal): Promise<AddressListView> {
    const { items } = await this.users.call('listAddresses', { userId: principal.id });
    return { items: items.map(toAddressView), total: items.length, page: 1, limit: items.length };
  }

  @Post('addresses')
  @RequirePermissions('profile:write')
  @ApiCreatedResponse({ type: AddressView })
  @ApiErrors([422, 'The address book holds its most (20) already'])
  async addAddress(@CurrentPrincipal() principal: Principal, @Body() body: AddressDto): Promise<AddressView> {
    const { isDefault, ...address } = body;
    return toAddressView(await this.users.call('addAddress', { userId: principal.id, address, isDefault: isDefault ?? false }));
  }

  @Patch('addresses/:id')
  @RequirePermissions('profile:write')
  @ApiOkResponse({ type: AddressView })
  @ApiErrors([422, 'isDefault false on the default address: make another address the default instead'])
  async updateAddress(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body(SomeChangePipe) body: UpdateAddressDto,
  ): Promise<AddressView> {
    return toAddressView(await this.users.call('updateAddress', { userId: principal.id, addressId: id, ...body }));
  }

  @Delete('addresses/:id')
  @HttpCode(204)
  @RequirePermissions('profile:write')
  @ApiNoContentResponse({ description: 'Deleted' })
  async deleteAddress(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.users.call('deleteAddress', { userId: principal.id, addressId: id });
  }
}
