import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@shop/errors';
import { APP_CONFIG } from '@shop/service-kit';
import { randomUUID } from 'node:crypto';
import type { UserConfig } from '../config';
import { type Address, PRISMA, type PrismaClient } from '../prisma';

export interface AddressInput {
  line1?: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

const REQUIRED_FIELDS = ['line1', 'city', 'postalCode', 'country'] as const;

function clean(input: AddressInput): AddressInput {
  const result: AddressInput = {};
  for (const [key, value] of Object.entries(input) as Array<[keyof AddressInput, string | undefined]>) {
    if (value === undefined) continue;
    const trimmed = value.trim();
    if ([...trimmed].length > 200) throw AppError.invalid(`${key} is too long`);
    result[key] = key === 'country' ? trimmed.toUpperCase() : trimmed;
  }
  if (result.country !== undefined && !/^[A-Z]{2}$/.test(result.country)) {
    throw AppError.invalid('country must be an ISO 3166-1 alpha-2 code');
  }
  return result;
}

/** An address book with at most one default, which the first address becomes. */
@Injectable()
export class AddressesService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(APP_CONFIG) private readonly config: UserConfig,
  ) {}

  list(userId: string): Promise<Address[]> {
    return this.prisma.address.findMany({ where: { userId }, orderBy: [{ isDefault: 'desc' }, { createdAt: 'asc' }] });
  }

  async add(userId: string, input: AddressInput, makeDefault: boolean): Promise<Address> {
    const fields = clean(input);
    const missing = REQUIRED_FIELDS.filter((field) => !fields[field]);
    if (missing.length > 0) throw AppError.invalid(`address needs ${missing.join(', ')}`);
    return this.prisma.$transaction(async (tx) => {
      await this.lockProfile(tx, userId);
      const count = await tx.address.count({ where: { userId } });
      if (count >= this.config.MAX_ADDRESSES_PER_USER) {
        throw new AppError('failed_precondition', `an address book holds at most ${this.config.MAX_ADDRESSES_PER_USER} addresses`);
      }
      const isDefault = makeDefault || count === 0;
      if (isDefault) await tx.address.updateMany({ where: { userId, isDefault: true }, data: { isDefault: false } });
      return tx.address.create({
        data: {
          id: randomUUID(),
          userId,
          line1: fields.line1!,
          line2: fields.line2 || null,
          city: fields.city!,
          region: fields.region || null,
          postalCode: fields.postalCode!,
          country: fields.country!,
          isDefault,
        },
      });
    });
  }

  async update(userId: string, addressId: string, input: AddressInput, makeDefault?: boolean): Promise<Address> {
    const fields = clean(input);
    const emptied = REQUIRED_FIELDS.filter((field) => fields[field] === '');
    if (emptied.length > 0) throw AppError.invalid(`${emptied.join(', ')} cannot be empty`);
    return this.prisma.$transaction(async (tx) => {
      await this.lockProfile(tx, userId);
      const existing = await tx.address.findFirst({ where: { id: addressId, userId } });
      if (!existing) throw AppError.notFound('address not found');
      if (makeDefault === true) await tx.address.updateMany({ where: { userId, isDefault: true }, data: { isDefault: false } });
      if (makeDefault === false && existing.isDefault) {
        throw new AppError('failed_precondition', 'make another address the default instead');
      }
      return tx.address.update({
        where: { id: addressId },
        data: {
          ...fields,
          line2: fields.line2 === undefined ? undefined : fields.line2 || null,
          region: fields.region === undefined ? undefined : fields.region || null,
          ...(makeDefault === true ? { isDefault: true } : {}),
        },
      });
    });
  }

  /** Deleting the default hands the default to the oldest remaining address. */
  async remove(userId: string, addressId: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await this.lockProfile(tx, userId);
      const existing = await tx.address.findFirst({ where: { id: addressId, userId } });
      if (!existing) throw AppError.notFound('address not found');
      await tx.address.delete({ where: { id: addressId } });
      if (existing.isDefault) {
        const next = await tx.address.findFirst({ where: { userId }, orderBy: { createdAt: 'asc' } });
        if (next) await tx.address.update({ where: { id: next.id }, data: { isDefault: true } });
      }
    });
  }

  /** Serialises address-book changes per user; also 404s before the profile exists. */
  private async lockProfile(tx: Tx, userId: string): Promise<void> {
    const rows = await tx.$queryRaw<unknown[]>`SELECT 1 FROM profiles WHERE user_id = ${userId}::uuid FOR UPDATE`;
    if (rows.length === 0) throw AppError.notFound('profile not found');
  }
}
