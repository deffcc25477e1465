// What the deployment files give each service: its environment as docker-compose.yml and the
// rendered Helm chart set it, and what the image adds (deploy/Dockerfile). Read by deploy/test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export const ROOT = join(__dirname, '..', '..');
export const CHART = join(ROOT, 'helm', 'shop');
export const KUBE_VERSION = '1.31.0';

/** How a container starts: a service (main.js), a migration (migrate.js <service>) or product's reindex. */
export type Role = 'service' | 'migrate' | 'reindex' | 'other';

export interface Workload {
  /** Where it comes from, for messages: "compose auth", "helm Deployment/shop-auth". */
  source: string;
  /** The app it runs (apps/<app>). */
  app: string;
  role: Role;
  env: Record<string, string>;
}

type Env = Record<string, string>;

/** The role of a container from its command (compose `command`, Kubernetes `command` + `args`). */
export function roleOf(command: readonly string[] | undefined): Role {
  const line = (command ?? []).join(' ');
  if (line === '') return 'service';
  if (/dist\/scripts\/migrate\.js/.test(line)) return 'migrate';
  if (/dist\/apps\/product\/src\/reindex\.js/.test(line)) return 'reindex';
  if (/dist\/apps\/[^/]+\/src\/main\.js/.test(line)) return 'service';
  return 'other';
}

// ----------------------------------------------------------------- image --

/** The final stage of deploy/Dockerfile: its base image, ENV and EXPOSE. */
export function imageFacts(text = readFileSync(join(ROOT, 'deploy', 'Dockerfile'), 'utf8')): { from: string; env: Env; expose: number[] } {
  const args: Env = {};
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  let from = '';
  let env: Env = {};
  let expose: number[] = [];
  for (const line of lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    const value = rest.join(' ');
    switch (instruction!.toUpperCase()) {
      case 'ARG': {
        const [k, v] = value.split('=', 2);
        if (v !== undefined && !(k! in args)) args[k!] = v;
        break;
      }
      case 'FROM':
        from = value.split(/\s+/)[0]!.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a ?? b] ?? '');
        env = {};
        expose = [];
        break;
      case 'ENV':
        for (const pair of value.match(/(\w+)=("[^"]*"|\S+)/g) ?? []) {
          const i = pair.indexOf('=');
          env[pair.slice(0, i)] = pair.slice(i + 1).replace(/^"|"$/g, '');
        }
        break;
      case 'EXPOSE':
        for (const spec of value.split(/\s+/)) {
          const [low, high] = spec.replace(/\/(tcp|udp)$/, '').split('-').map(Number);
          for (let p = low!; p <= (high ?? low!); p++) expose.push(p);
        }
        break;
    }
  }
  return { from, env, expose };
}

// --------------------------------------------------------------- compose --

/** Compose's variable interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, $VAR, $$. */
export function interpolate(text: string, vars: Env): string {
  return text.replace(/\$\$|\$\{(\w+)(?:(:?)([-?])((?:[^}\\]|\\.)*))?\}|\$(\w+)/g, (match, name, colon, op, arg, bare) => {
    if (match === '$$') return '$';
    if (bare) return vars[bare] ?? '';
    const value = vars[name];
    const missing = value === undefined || (colon === ':' && value === '');
    if (op === '-') return missing ? arg : value;
    if (op === '?' && missing) throw new Error(`compose: ${name} is required: ${arg}`);
    return value ?? '';
  });
}

/** An env file (KEY=value lines) as compose reads it. */
export function readEnvFile(path: string): Env {
  const vars: Env = {};
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_]\w*)\s*=\s*(.*)$/.exec(line);
    if (m && !line.trim().startsWith('#')) vars[m[1]!] = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

interface ComposeService {
  build?: { args?: Record<string, string> };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
}

/**
 * Every container of docker-compose.yml built from this repository's image, with the environment
 * it gets when `vars` is the shell's (and .env's) environment: the image's ENV, then the service's
 * `environment` (a key without a value is passed from the shell, so unset here unless in `vars`).
 */
export function composeWorkloads(vars: Env, file = join(ROOT, 'docker-compose.yml')): Workload[] {
  const doc = parse(interpolate(readFileSync(file, 'utf8'), vars), { merge: true }) as { services: Record<string, ComposeService> };
  const image = imageFacts().env;
  const workloads: Workload[] = [];
  for (const [name, service] of Object.entries(doc.services)) {
    const app = service.build?.args?.SERVICE;
    if (!app) continue; // postgres, kafka, … : not ours
    const env: Env = { ...image };
    const entries = Array.isArray(service.environment)
      ? service.environment.map((e) => (e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, null]))
      : Object.entries(service.environment ?? {});
    for (const [key, value] of entries as Array<[string, unknown]>) {
      if (value === null || value === undefined) {
        if (vars[key] !== undefined) env[key] = vars[key];
        else delete env[key];
      } else {
        env[key] = String(value);
      }
    }
    const command = typeof service.command === 'string' ? service.command.split(/\s+/) : service.command;
    workloads.push({ source: `compose ${name}`, app, role: roleOf(command), env });
  }
  return workloads;
}

// ------------------------------------------------------------------ helm --

/** The helm binary: $HELM, helm on PATH, or the one scripts/helm.sh builds once from the Go module proxy and caches. */
export function helmBinary(): string {
  try {
    return execFileSync('bash', [join(ROOT, 'scripts', 'helm.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch (error) {
    throw new Error(`no helm to render the chart with: scripts/helm.sh failed (${(error as Error).message})`);
  }
}

/** `helm template` of the chart with these values (merged in order). */
export function helmTemplate(helm: string, values: object[], extraArgs: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'shop-deploy-test-'));
  try {
    const files = values.map((v, i) => {
      const file = join(dir, `values-${i}.json`);
      writeFileSync(file, JSON.stringify(v));
      return ['-f', file];
    });
    return execFileSync(helm, ['template', 'shop', CHART, '--namespace', 'shop', '--kube-version', KUBE_VERSION, ...files.flat(), ...extraArgs], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(`YAML error in the render: ${d.errors[0]!.message}`);
      return d.toJS() as K8sObject | null;
    })
    .filter((d): d is K8sObject => d !== null && typeof d === 'object');
}

interface Container {
  name: string;
  command?: string[];
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
}

/**
 * Every container of the render's Deployments and Jobs with the environment Kubernetes would give
 * it: the image's ENV, then envFrom (ConfigMaps, Secrets) in order, then env. A reference to an
 * object that is not in the render is an error: these renders hold every Secret they use.
 */
export function helmWorkloads(objects: K8sObject[]): Workload[] {
  const image = imageFacts().env;
  const configMaps = new Map(objects.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, o.data ?? {}]));
  const secrets = new Map(
    objects
      .filter((o) => o.kind === 'Secret')
      .map((o) => [o.metadata.name, Object.fromEntries(Object.entries(o.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]))]),
  );
  const source = (kind: 'ConfigMap' | 'Secret', name: string, where: string): Env => {
    const found = (kind === 'ConfigMap' ? configMaps : secrets).get(name);
    if (!found) throw new Error(`${where}: ${kind} ${name} is not in the render`);
    return found;
  };
  const workloads: Workload[] = [];
  for (const o of objects.filter((x) => x.kind === 'Deployment' || x.kind === 'Job')) {
    // Pods of Jobs are labelled <service>-migrations / <service>-reindex, so no Service selects them.
    const component = o.spec.template.metadata?.labels?.['app.kubernetes.io/component'] ?? o.metadata.labels?.['app.kubernetes.io/component'];
    if (!component) throw new Error(`${o.kind}/${o.metadata.name} has no app.kubernetes.io/component label`);
    const app = String(component).replace(/-(migrations|reindex)$/, '');
    for (const c of o.spec.template.spec.containers as Container[]) {
      const where = `helm ${o.kind}/${o.metadata.name} container ${c.name}`;
      const env: Env = { ...image };
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef) Object.assign(env, source('ConfigMap', from.configMapRef.name, where));
        if (from.secretRef) Object.assign(env, source('Secret', from.secretRef.name, where));
      }
      for (const e of c.env ?? []) {
        if (e.value !== undefined) env[e.name] = e.value;
        else if (e.valueFrom?.secretKeyRef) {
          const ref = e.valueFrom.secretKeyRef;
          const value = source('Secret', ref.name, where)[ref.key];
          if (value === undefined) throw new Error(`${where}: env ${e.name} reads key ${ref.key} that Secret ${ref.name} lacks`);
          env[e.name] = value;
        } else if (e.valueFrom?.configMapKeyRef) {
          const ref = e.valueFrom.configMapKeyRef;
          env[e.name] = source('ConfigMap', ref.name, where)[ref.key] ?? '';
        }
      }
      workloads.push({ source: where, app, role: roleOf([...(c.command ?? []), ...(c.args ?? [])]), env });
    }
  }
  return workloads;
}
