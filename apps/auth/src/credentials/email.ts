import { AppError } from '@shop/errors';

const EMAIL_PATTERN = /^[^\s@"(),:;<>[\\\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** One spelling per mailbox: trimmed, Unicode-normalised and lower-cased, so "A@X.com " and "a@x.com" are one account. */
export function normalizeEmail(raw: string): string {
  const email = raw.normalize('NFKC').trim().toLowerCase();
  if (email.length > 254 || !EMAIL_PATTERN.test(email)) throw AppError.invalid('email is not a valid address');
  return email;
}
