// The API contract run: starts the built platform against the test servers (as the e2e tests do),
// signs in a shopper and the admin, and runs schemathesis against the gateway's OpenAPI document as
// each of them, then stops the platform and drops its databases. See scripts/contract/run.sh.
//
//   node dist/scripts/contract/contract.js <schemathesis venv>/bin/schemathesis   # the run (exit 1 on any failure)
//   node dist/scripts/contract/contract.js --serve                     # keep the platform up; SIGUSR2 restarts the gateway
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropPlatformStores, readInfraEndpoints, repoRoot, testInfra, uniqueName } from '@shop/testing';
import { type Platform, startPlatform } from '../platform/platform';

const PASSWORD = 'correct-horse-42';

/** Seconds of generated requests per identity, split between fuzzing and the stateful sequences. */
const MAX_SECONDS = Number(process.env.CONTRACT_MAX_SECONDS ?? 75);

/**
 * What schemathesis runs per identity, one step after another. Its --max-time bounds a whole run, and
 * the examples and boundary values (coverage) run first until they are done: on a busy machine they
 * took the whole budget and fuzzing and the stateful sequences never ran. So those two run first,
 * whole (they are finite), then fuzzing and the stateful sequences each with half the budget.
 */
export const STEPS: Array<{ phases: string; maxSeconds?: number }> = [
  { phases: 'examples,coverage' },
  { phases: 'fuzzing', maxSeconds: Math.max(1, Math.round(MAX_SECONDS / 2)) },
  { phases: 'stateful', maxSeconds: Math.max(1, Math.round(MAX_SECONDS / 2)) },
];

/**
 * Operations left out, with why:
 * - logout-everywhere ends every session of the caller, the fuzzer's own token too (every later
 *   request would be a 401); the identity e2e test covers it.
 * - the notification stream is Server-Sent Events that stays open (the notifications e2e test covers it).
 */
const EXCLUDED_PATHS = ['/api/v1/auth/logout-everywhere', '/api/v1/notifications/stream'];

function log(message: string): void {
  process.stdout.write(`[contract] ${message}\n`);
}

async function json(url: string, init: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function login(gateway: string, email: string, password: string): Promise<string> {
  const { status, body } = await json(`${gateway}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ email, password }) });
  if (status !== 200) throw new Error(`login of ${email} answered ${status}: ${JSON.stringify(body)}`);
  return body.accessToken as string;
}

/**
 * Ids of what prepare() made, which schemathesis.toml gives the operations that need an existing
 * resource (as CONTRACT_* variables): without them every request to such an operation is a 404 and
 * its logic goes untested.
 */
interface Seeded {
  CONTRACT_USER_ID: string;
  CONTRACT_ORDER_ID: string;
}

/**
 * A shopper with an address, an order and a line in the cart, and a tiny catalogue (a category, a
 * published product with stock) that examples can find.
 */
async function prepare(gateway: string, platform: Platform): Promise<{ shopper: string; admin: string; seeded: Seeded }> {
  const admin = await login(gateway, platform.adminEmail, platform.adminPassword);
  const email = `${uniqueName('shopper')}@example.com`;
  const registered = await json(`${gateway}/api/v1/auth/register`, { method: 'POST', body: JSON.stringify({ email, password: PASSWORD, name: 'Ada' }) });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}: ${JSON.stringify(registered.body)}`);
  const shopper = await login(gateway, email, PASSWORD);
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const category = await json(`${gateway}/api/v1/admin/categories`, { method: 'POST', headers: as(admin), body: JSON.stringify({ name: 'Mugs', slug: 'mugs' }) });
  const product = await json(`${gateway}/api/v1/admin/products`, {
    method: 'POST',
    headers: as(admin),
    body: JSON.stringify({
      name: 'Enamel mug',
      description: 'Keeps tea hot.',
      categoryIds: [category.body.id],
      status: 'published',
      variants: [{ sku: 'KNT-000042-3', price: { amount: 1999, currency: 'EUR' }, attributes: { colour: 'red' } }],
    }),
  });
  if (product.status !== 201) throw new Error(`creating the example product answered ${product.status}: ${JSON.stringify(product.body)}`);
  await json(`${gateway}/api/v1/admin/inventory/KNT-000042-3`, { method: 'PUT', headers: as(admin), body: JSON.stringify({ onHand: 1000 }) });
  await json(`${gateway}/api/v1/users/me/addresses`, {
    method: 'POST',
    headers: as(shopper),
    body: JSON.stringify({ line1: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'GB' }),
  });
  const addToCart = () => json(`${gateway}/api/v1/cart/items`, { method: 'POST', headers: as(shopper), body: JSON.stringify({ sku: 'KNT-000042-3', quantity: 1 }) });
  await addToCart();
  const order = await json(`${gateway}/api/v1/orders`, {
    method: 'POST',
    headers: { ...as(shopper), 'idempotency-key': uniqueName('contract-order') },
    body: JSON.stringify({ shippingAddress: { line1: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'GB' } }),
  });
  if (order.status !== 202) throw new Error(`placing the example order answered ${order.status}: ${JSON.stringify(order.body)}`);
  // A line in the cart again, for the cart's operations.
  await addToCart();
  const seeded: Seeded = { CONTRACT_USER_ID: String(registered.body.id), CONTRACT_ORDER_ID: String(order.body.id) };
  return { shopper, admin, seeded };
}

/** The schemathesis command line, as the contract run gives it (the token elided when shown). */
export function schemathesisArgs(gateway: string, token: string, reportDir: string, step: (typeof STEPS)[number] = STEPS[0]!): string[] {
  return [
    '--config-file',
    join(repoRoot(), 'scripts/contract/schemathesis.toml'),
    'run',
    `${gateway}/docs-json`,
    '--url',
    gateway,
    '--header',
    `Authorization: Bearer ${token}`,
    '--checks',
    'all',
    '--phases',
    step.phases,
    ...(step.maxSeconds ? ['--max-time', String(step.maxSeconds)] : []),
    // One worker: schemathesis' workers are threads, and CPython 3.11 can fail two threads' parses
    // at once with "AST constructor recursion depth mismatch" (scripts/infra/schemathesis.sh).
    '--workers',
    process.env.CONTRACT_WORKERS ?? '1',
    '--seed',
    process.env.CONTRACT_SEED ?? '8',
    '--request-timeout',
    '10',
    '--no-color',
    '--report',
    'junit',
    '--report-dir',
    reportDir,
    // Examples hypothesis found are not kept between runs (nor written into the working tree).
    '--generation-database',
    ':memory:',
    ...EXCLUDED_PATHS.flatMap((path) => ['--exclude-path', path]),
    ...(process.env.CONTRACT_ARGS ?? '').split(' ').filter(Boolean),
  ];
}

function schemathesis(bin: string, gateway: string, who: string, token: string, reportDir: string, step: (typeof STEPS)[number], seeded: Seeded): Promise<number> {
  const args = schemathesisArgs(gateway, token, join(reportDir, who), step);
  log(`schemathesis as the ${who}, ${step.phases}: ${bin} ${args.map((arg) => (arg.startsWith('Authorization') ? "'Authorization: Bearer …'" : arg)).join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: 'inherit', env: { ...process.env, ...seeded } });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  const serve = process.argv.includes('--serve');
  const bin = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
  if (!serve && !bin) throw new Error('usage: contract.js <path of the schemathesis executable> | --serve');
  for (const [name, value] of Object.entries(readInfraEndpoints())) process.env[name] ??= value;
  const infra = testInfra();
  const prefix = uniqueName('contract');
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-contract-'));
  const logFile = join(repoRoot(), 'schemathesis-report', 'platform.log');
  mkdirSync(join(repoRoot(), 'schemathesis-report'), { recursive: true });
  writeFileSync(logFile, '');
  const lines: string[] = [];
  const started = Date.now();
  const platform = await startPlatform({
    root: repoRoot(),
    gatewayPort: 0,
    databaseUrl: infra.postgresUrl,
    databasePrefix: prefix,
    mongoUrl: infra.mongoUrl,
    dataDir,
    supervise: false,
    output: (service, line) => lines.push(`${service}: ${line}`),
    log: (message) => lines.push(`platform: ${message}`),
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      BCRYPT_COST: '4',
      EVENT_GROUP_PREFIX: `${prefix}.`,
      // Rate limits would answer the fuzzer's requests 429 before any route's logic runs, and auth's
      // login back-off every login to an account it failed to log in to a few times: the gateway and
      // auth do not count loopback clients, which they honour only with NODE_ENV=test (they refuse to
      // start with it otherwise).
      RATE_LIMIT_TEST_EXEMPT_LOOPBACK: 'true',
      // Rotations on request are otherwise refused (429) for five minutes after one: the fuzzer would
      // meet that refusal, not the rotation (key-rotation.int-spec.ts tests the interval).
      SIGNING_KEY_MIN_ROTATION_INTERVAL_SECONDS: '0',
    },
  });
  const gateway = platform.gatewayUrl.replace('localhost', '127.0.0.1');
  log(`platform up in ${((Date.now() - started) / 1000).toFixed(1)} s; gateway ${gateway}, OpenAPI at ${gateway}/docs-json`);
  let exit = 0;
  try {
    const { shopper, admin, seeded } = await prepare(gateway, platform);
    if (serve) {
      writeFileSync(join(repoRoot(), 'schemathesis-report', 'serve.env'), `GATEWAY=${gateway}\nSHOPPER=${shopper}\nADMIN=${admin}\n${Object.entries(seeded).map(([name, value]) => `${name}=${value}\n`).join('')}`);
      log('serving (schemathesis-report/serve.env); SIGUSR2 restarts the gateway, Ctrl+C stops');
      process.on('SIGUSR2', () => {
        void (async () => {
          await platform.kill('gateway');
          await platform.start('gateway');
          log('gateway restarted');
        })().catch((error: Error) => log(`gateway restart failed: ${error.message}\n${lines.slice(-20).join('\n')}`));
      });
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
    } else {
      const reportDir = join(repoRoot(), 'schemathesis-report');
      for (const [who, token] of [
        ['shopper', shopper],
        ['admin', admin],
      ] as const) {
        for (const step of STEPS) {
          const code = await schemathesis(bin!, gateway, who, token, reportDir, step, seeded);
          if (code !== 0) exit = 1;
        }
      }
    }
  } catch (error) {
    log(`failed: ${(error as Error).message}`);
    exit = 1;
  } finally {
    writeFileSync(logFile, `${lines.join('\n')}\n`);
    await platform.stop();
    await dropPlatformStores(Object.values(platform.databaseUrls), infra.postgresUrl, infra.mongoUrl, prefix).catch((error: Error) => log(`could not drop the run's databases: ${error.message}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
  const fiveHundreds = lines.filter((line) => /"level":50/.test(line));
  if (fiveHundreds.length > 0) log(`${fiveHundreds.length} error lines in the services' logs (schemathesis-report/platform.log)`);
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${exit === 0 ? 'clean' : 'FAILED'}`);
  return exit;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`[contract] ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
