import { AppError } from '@shop/errors';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * Failed logins are counted per account AND source, and only that pair is locked: someone who
 * fails to log in as you from their address locks out their address, never you logging in from
 * yours. Each further failure from that source doubles its lock, so guessing from one source gets
 * slow fast; guessing from many is bounded per source here and per address by the gateway's auth
 * rate limit. A source is an IPv4 address, or an IPv6 /64 (one host usually holds a whole /64 and
 * could otherwise take a fresh address for every guess).
 */
export interface LockoutPolicy {
  /** Failures from one source within the window before it is locked out of the account. */
  maxFailures: number;
  /** The first lock; it doubles with each further failure. */
  baseLockSeconds: number;
  maxLockSeconds: number;
  /** Failures older than this no longer count. */
  failureWindowSeconds: number;
}

export const FAILURE_WINDOW_SECONDS = 15 * 60;
export const MAX_LOCK_SECONDS = 15 * 60;

/** The source of a login the gateway did not name (a direct gRPC caller): all such attempts share one. */
export const UNKNOWN_SOURCE = 'unknown';

/** How long the source is locked out of the account after its `failures`-th failure within the window; 0 is not at all. */
export function lockSecondsAfter(failures: number, policy: LockoutPolicy): number {
  if (failures < policy.maxFailures) return 0;
  return Math.min(policy.maxLockSeconds, policy.baseLockSeconds * 2 ** (failures - policy.maxFailures));
}

/** The source a login is counted against, from the client address the gateway saw. */
export function loginSource(address: string): string {
  const ip = address.trim();
  if (ip === '') return UNKNOWN_SOURCE;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (isIPv4(ip)) return ip;
  if (isIPv6(ip)) return `${ipv6Groups(ip).slice(0, 4).join(':')}::/64`;
  throw AppError.invalid('source must be the client\'s IP address');
}

/** The eight 16-bit groups of an IPv6 address, in lower-case hex without leading zeros. */
function ipv6Groups(address: string): string[] {
  let text = address.split('%', 1)[0]!.toLowerCase();
  const embedded = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (embedded) {
    const [a, b, c, d] = embedded.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, embedded.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return groups.map((group) => parseInt(group, 16).toString(16));
}
