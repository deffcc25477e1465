import { AppError } from '@shop/errors';
import { assertPasswordPolicy } from './password-policy';

describe('assertPasswordPolicy', () => {
  it('accepts a long passphrase', () => {
    expect(() => assertPasswordPolicy('correct horse battery 9', 'ada@example.com')).not.toThrow();
  });

  it.each([
    ['short1!', /at least 10 characters/],
    ['onlyletterspassword', /digit or symbol/],
    ['1234567890', /letters/],
    ['password123', /commonly used/],
    ['ada.lovelace-1815', /email/],
    [`${'é'.repeat(40)}1`, /72 bytes/],
  ])('refuses %p', (password, reason) => {
    let caught: unknown;
    try {
      assertPasswordPolicy(password, 'ada.lovelace@example.com');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).kind).toBe('invalid_argument');
    expect((caught as AppError).message).toMatch(reason);
  });
});
