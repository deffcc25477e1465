import type { z } from 'zod';
import { booleanFlag } from './schemas';

/**
 * RATE_LIMIT_TEST_EXEMPT_LOOPBACK, for tests only (the API contract run, whose fuzzer must reach the
 * logic of the routes it calls, not their 429s): the gateway's rate limits and auth's login back-off
 * do not count a client on loopback. A service whose NODE_ENV is not `test` refuses to start with it
 * (refuseTestAllowanceOutsideTests), so no deployment can leave it on, and it spares only clients on
 * the machine itself.
 */
export const testAllowanceShape = { RATE_LIMIT_TEST_EXEMPT_LOOPBACK: booleanFlag(false) };

export interface TestAllowanceConfig {
  NODE_ENV: string;
  RATE_LIMIT_TEST_EXEMPT_LOOPBACK: boolean;
}

export function refuseTestAllowanceOutsideTests(env: TestAllowanceConfig, ctx: z.RefinementCtx): void {
  if (env.RATE_LIMIT_TEST_EXEMPT_LOOPBACK && env.NODE_ENV !== 'test') {
    ctx.addIssue({ code: 'custom', path: ['RATE_LIMIT_TEST_EXEMPT_LOOPBACK'], message: 'is for tests only: it needs NODE_ENV=test' });
  }
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

/**
 * Whether the allowance spares a client: only when it is on under NODE_ENV=test, and only when every
 * address given for the client is a loopback one (the gateway gives the socket's and the forwarded
 * one, so that a proxy on loopback does not pass the allowance on to the clients it forwards).
 */
export function exemptUnderTestAllowance(config: TestAllowanceConfig, ...addresses: Array<string | undefined>): boolean {
  if (!config.RATE_LIMIT_TEST_EXEMPT_LOOPBACK || config.NODE_ENV !== 'test') return false;
  return addresses.length > 0 && addresses.every((address) => LOOPBACK.test(address ?? ''));
}
