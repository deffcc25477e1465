import { Injectable } from '@nestjs/common';
import { userV1 } from '@shop/contracts';
import { AppError } from '@shop/errors';
import type { ServiceHandlers } from '@shop/grpc';
import { isUuid } from '@shop/validation';
import { AddressesService } from './addresses/addresses.service';
import type { Address, Profile } from './prisma';
import { ProfilesService } from './profiles/profiles.service';

function id(value: string, name: string): string {
  if (!isUuid(value)) throw AppError.invalid(`${name} must be a UUID`);
  return value;
}

function toProfile(profile: Profile): userV1.Profile {
  return {
    userId: profile.userId,
    email: profile.email,
    name: profile.name,
    locale: profile.locale,
    phone: profile.phone,
    createdAt: profile.createdAt.toISOString(),
    updatedAt: profile.updatedAt.toISOString(),
  };
}

function toAddress(address: Address): userV1.Address {
  return {
    id: address.id,
    userId: address.userId,
    line1: address.line1,
    line2: address.line2 ?? undefined,
    city: address.city,
    region: address.region ?? undefined,
    postalCode: address.postalCode,
    country: address.country,
    isDefault: address.isDefault,
    createdAt: address.createdAt.toISOString(),
  };
}

/** The UserService contract, mapped onto profiles and address books. */
@Injectable()
export class UserGrpcHandlers implements ServiceHandlers<typeof userV1.UserServiceService> {
  constructor(
    private readonly profiles: ProfilesService,
    private readonly addresses: AddressesService,
  ) {}

  async getProfile(request: userV1.GetProfileRequest): Promise<userV1.Profile> {
    return toProfile(await this.profiles.get(id(request.userId, 'user_id')));
  }

  async updateProfile(request: userV1.UpdateProfileRequest): Promise<userV1.Profile> {
    const { userId, ...changes } = request;
    return toProfile(await this.profiles.update(id(userId, 'user_id'), changes));
  }

  async listAddresses(request: userV1.ListAddressesRequest): Promise<userV1.ListAddressesResponse> {
    return { items: (await this.addresses.list(id(request.userId, 'user_id'))).map(toAddress) };
  }

  async addAddress(request: userV1.AddAddressRequest): Promise<userV1.Address> {
    if (!request.address) throw AppError.invalid('address is required');
    return toAddress(await this.addresses.add(id(request.userId, 'user_id'), request.address, request.isDefault));
  }

  async updateAddress(request: userV1.UpdateAddressRequest): Promise<userV1.Address> {
    const { userId, addressId, isDefault, ...fields } = request;
    return toAddress(await this.addresses.update(id(userId, 'user_id'), id(addressId, 'address_id'), fields, isDefault));
  }

  async deleteAddress(request: userV1.DeleteAddressRequest): Promise<userV1.DeleteAddressResponse> {
    await this.addresses.remove(id(request.userId, 'user_id'), id(request.addressId, 'address_id'));
    return {};
  }
}
