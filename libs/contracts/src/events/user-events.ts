import { z } from 'zod';

/** user.registered v1: credentials were created; the user service makes the profile from it. */
export const UserRegisteredV1 = z.object({
  userId: z.string().min(1),
  email: z.string().min(1),
  name: z.string(),
  registeredAt: z.string(),
});
export type UserRegisteredV1 = z.infer<typeof UserRegisteredV1>;

/**
 * Why a user's earlier access tokens stopped speaking for them. A string and not an enum, so a reason
 * added later does not make older consumers dead-letter the event: what they act on is `notBefore`.
 */
export const ACCESS_CHANGE_REASONS = ['roles_changed', 'logged_out_everywhere', 'locked'] as const;
export type AccessChangeReason = (typeof ACCESS_CHANGE_REASONS)[number];

/**
 * user.access_changed v1: access tokens of this user issued (JWT `iat`) before `notBefore` are
 * revoked: their roles changed, they logged out everywhere, or an admin locked the account. Every
 * gateway replica keeps the latest `notBefore` per user for as long as such a token could live.
 */
export const UserAccessChangedV1 = z.object({
  userId: z.string().min(1),
  notBefore: z.iso.datetime(),
  reason: z.string().min(1),
});
export type UserAccessChangedV1 = z.infer<typeof UserAccessChangedV1>;

/** user.profile_changed v1: the profile as it stands after a change (caches of it drop their copy). */
export const UserProfileChangedV1 = z.object({
  profile: z.object({ userId: z.string().min(1), email: z.string(), name: z.string(), locale: z.string(), phone: z.string() }),
});
export type UserProfileChangedV1 = z.infer<typeof UserProfileChangedV1>;
