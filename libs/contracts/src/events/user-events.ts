/** user.registered v1: credentials were created; the user service makes the profile from it. */
export interface UserRegisteredV1 {
  userId: string;
  email: string;
  name: string;
  registeredAt: string;
}
