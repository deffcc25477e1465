import { AppError } from '@shop/errors';

// The most common passwords of public breach lists that would otherwise pass the length rule.
const COMMON_PASSWORDS = new Set([
  '1234567890',
  '12345678910',
  'qwertyuiop',
  'password123',
  'password1234',
  'iloveyou123',
  'qwerty12345',
  '1q2w3e4r5t',
  'abcdefghij',
  'abc1234567',
  '0987654321',
  'letmein123',
  'welcome123',
  'passw0rd123',
  'administrator',
]);

export const PASSWORD_MIN_LENGTH = 10;
/** bcrypt reads only the first 72 bytes; a longer password would be silently truncated. */
export const PASSWORD_MAX_BYTES = 72;

/** Length over composition rules (NIST SP 800-63B), plus the limits bcrypt imposes. */
export function assertPasswordPolicy(password: string, email: string): void {
  const problems: string[] = [];
  if ([...password].length < PASSWORD_MIN_LENGTH) problems.push(`have at least ${PASSWORD_MIN_LENGTH} characters`);
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) problems.push(`have at most ${PASSWORD_MAX_BYTES} bytes`);
  if (!/[A-Za-z\p{L}]/u.test(password) || !/[^A-Za-z\p{L}]/u.test(password)) problems.push('mix letters with at least one digit or symbol');
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered)) problems.push('not be a commonly used password');
  const localPart = email.split('@')[0] ?? '';
  if (localPart.length >= 4 && lowered.includes(localPart)) problems.push('not contain the email address');
  if (problems.length > 0) throw AppError.invalid(`password must ${problems.join(', ')}`);
}
