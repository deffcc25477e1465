import { z } from 'zod';

/** user.registered v1: credentials were created; the user service makes the profile from it. */
export const UserRegisteredV1 = z.object({
  userId: z.string().min(1),
  email: z.string().min(1),
  name: z.string(),
  registeredAt: z.string(),
});
export type UserRegisteredV1 = z.infer<typeof UserRegisteredV1>;
