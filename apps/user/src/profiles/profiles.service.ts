import { Inject, Injectable } from '@nestjs/common';
import { createEvent, type UserRegisteredV1 } from '@shop/contracts';
import { AppError } from '@shop/errors';
import { handleOnce, writeOutbox } from '@shop/messaging';
import { PRISMA, type PrismaClient, type Profile } from '../prisma';

export const PROFILE_CONSUMER = 'user-service.profiles';

export interface ProfileChanges {
  name?: string;
  locale?: string;
  phone?: string;
}

const LOCALE_PATTERN = /^[a-z]{2,3}(-[A-Z]{2})?$/;
const PHONE_PATTERN = /^\+?[0-9 ()-]{6,20}$/;

/** Profiles: made from user.registered; each change is announced as user.profile_changed in its transaction. */
@Injectable()
export class ProfilesService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Makes the profile for a new account; handling the same event again changes nothing. */
  async onUserRegistered(eventId: string, event: UserRegisteredV1): Promise<boolean> {
    return handleOnce(this.prisma, PROFILE_CONSUMER, eventId, async (tx) => {
      await tx.profile.upsert({
        where: { userId: event.userId },
        create: { userId: event.userId, email: event.email, name: event.name },
        update: {},
      });
    });
  }

  async get(userId: string): Promise<Profile> {
    const profile = await this.prisma.profile.findUnique({ where: { userId } });
    if (!profile) throw AppError.notFound('profile not found');
    return profile;
  }

  async update(userId: string, changes: ProfileChanges): Promise<Profile> {
    const data: ProfileChanges = {};
    if (changes.name !== undefined) data.name = changes.name.trim().slice(0, 200);
    if (changes.locale !== undefined) {
      if (!LOCALE_PATTERN.test(changes.locale)) throw AppError.invalid('locale must look like "en" or "de-CH"');
      data.locale = changes.locale;
    }
    if (changes.phone !== undefined) {
      if (changes.phone !== '' && !PHONE_PATTERN.test(changes.phone)) throw AppError.invalid('phone is not a valid phone number');
      data.phone = changes.phone;
    }
    if (Object.keys(data).length === 0) throw AppError.invalid('nothing to change: give a name, locale or phone');
    await this.get(userId);
    return this.prisma.$transaction(async (tx) => {
      const profile = await tx.profile.update({ where: { userId }, data });
      const { email, name, locale, phone } = profile;
      await writeOutbox(tx, [createEvent('user.profile_changed', userId, { profile: { userId, email, name, locale, phone } })]);
      return profile;
    });
  }
}
