import { AppError } from '@shop/errors';
import { FAILURE_WINDOW_SECONDS, lockSecondsAfter, type LockoutPolicy, loginSource, MAX_LOCK_SECONDS, UNKNOWN_SOURCE } from './login-lockout';

const policy: LockoutPolicy = { maxFailures: 5, baseLockSeconds: 60, maxLockSeconds: MAX_LOCK_SECONDS, failureWindowSeconds: FAILURE_WINDOW_SECONDS };

describe('lockSecondsAfter', () => {
  it('locks from the fifth failure, doubling with each further one, for at most 15 minutes', () => {
    expect([1, 4, 5, 6, 7, 8, 9, 10, 50].map((failures) => lockSecondsAfter(failures, policy))).toEqual([0, 0, 60, 120, 240, 480, 900, 900, 900]);
  });
});

describe('loginSource', () => {
  it('is the IPv4 address, also when written as IPv4-mapped IPv6', () => {
    expect(loginSource('203.0.113.7')).toBe('203.0.113.7');
    expect(loginSource('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('is the /64 of an IPv6 address, however it is written', () => {
    expect(loginSource('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(loginSource('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(loginSource('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(loginSource('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(loginSource('::1')).toBe('0:0:0:0::/64');
    expect(loginSource('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });

  it('puts callers that name no address together', () => {
    expect(loginSource('')).toBe(UNKNOWN_SOURCE);
  });

  it('refuses anything that is not an address', () => {
    expect(() => loginSource('203.0.113.7, 10.0.0.1')).toThrow(AppError);
    expect(() => loginSource('localhost')).toThrow(/IP address/);
  });
});
