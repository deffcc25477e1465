import { normalizeEmail } from './email';

describe('normalizeEmail', () => {
  it('gives one spelling per mailbox', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
    expect(normalizeEmail('ａｄａ@example.com')).toBe('ada@example.com');
  });

  it.each(['', 'ada', 'ada@', '@example.com', 'a b@example.com', 'ada@example', `${'a'.repeat(250)}@x.io`])('refuses %p', (email) => {
    expect(() => normalizeEmail(email)).toThrow('email is not a valid address');
  });
});
