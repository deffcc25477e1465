/**
 * Every container that docker-compose.yml and the Helm chart start from our image gets an
 * environment its own service accepts: each one is run through that app's configuration schema
 * (apps/<app>/src/config.ts, `<app>ConfigSchema`, exactly what `main.ts` validates at start-up), and
 * the first admin's password through auth's password policy. A default that a service refuses
 * (issue 12: compose's ADMIN_PASSWORD contained the admin email's local part, auth exited and the
 * gateway never started) fails here instead of on someone's laptop.
 *
 * Why this test imports the apps' config modules (and does not move them into libs/): a schema is
 * its app's start-up contract and belongs beside the code that reads it; no app needs another's.
 * "An app never imports another app" keeps the apps from depending on each other; a check of the
 * deployment files is downstream of every app by nature (like the Dockerfile that packs them all),
 * so it may depend on all of them, from outside apps/. Moving eight schemas into libs/ would make
 * every app's settings a shared library's business for the sake of this one test.
 *
 * The chart is rendered with helm from scripts/helm.sh (built once from the Go module proxy and
 * cached, as scripts/helm-check.sh does); without it this fails, it does not skip.
 */
import { postgresUrl } from '@shop/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { assertPasswordPolicy } from '../../apps/auth/src/credentials/password-policy';
import { normalizeEmail } from '../../apps/auth/src/credentials/email';
import { CHART, composeWorkloads, helmBinary, helmTemplate, helmWorkloads, parseManifests, readEnvFile, ROOT, type Workload } from './deploy-env';

/** The app's own schema: apps/<app>/src/config.ts exports `<app>ConfigSchema` (camel-cased: chatbot-bridge's is chatbotBridgeConfigSchema). */
function configSchema(app: string): z.ZodType {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(join(ROOT, 'apps', app, 'src', 'config')) as Record<string, z.ZodType>;
  const name = `${app.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())}ConfigSchema`;
  const schema = module[name];
  if (!schema) throw new Error(`apps/${app}/src/config.ts exports no ${name}`);
  return schema;
}

/** The problems a workload's service would stop on, none when it would start. */
function problems(w: Workload): string[] {
  const found: string[] = [];
  const check = (app: string) => {
    const result = configSchema(app).safeParse(w.env);
    if (!result.success) for (const issue of result.error.issues) found.push(`${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  };
  switch (w.role) {
    case 'service':
      check(w.app);
      if (w.app === 'auth' && w.env.ADMIN_PASSWORD) {
        try {
          assertPasswordPolicy(w.env.ADMIN_PASSWORD, normalizeEmail(w.env.ADMIN_EMAIL ?? ''));
        } catch (error) {
          found.push(`ADMIN_PASSWORD: ${(error as Error).message}`);
        }
      }
      break;
    case 'migrate':
      // dist/scripts/migrate.js reads DATABASE_URL only.
      if (!postgresUrl.safeParse(w.env.DATABASE_URL ?? '').success) found.push(`DATABASE_URL: not a postgres URL (${w.env.DATABASE_URL ?? 'not set'})`);
      break;
    case 'reindex':
      check('product');
      if (!w.env.ELASTICSEARCH_URL) found.push('ELASTICSEARCH_URL: the reindex needs Elasticsearch');
      break;
    default:
      found.push('runs a command this test does not know');
  }
  return found.map((p) => `${w.source} (${w.app}, ${w.role}): ${p}`);
}

function expectAllStart(workloads: Workload[]): void {
  expect(workloads.flatMap(problems)).toEqual([]);
}

describe('docker-compose.yml', () => {
  it('gives every service, migration and tool an environment it accepts, with the defaults alone', () => {
    const workloads = composeWorkloads({});
    expect(workloads.map((w) => w.app)).toEqual(expect.arrayContaining(['gateway', 'auth', 'user', 'product', 'inventory', 'order', 'payment', 'review', 'chatbot-bridge']));
    expect(workloads.filter((w) => w.role === 'migrate').length).toBeGreaterThanOrEqual(6);
    expect(workloads.some((w) => w.role === 'reindex')).toBe(true);
    // The image runs in production mode, where auth needs its signing key secret.
    expect(workloads.find((w) => w.app === 'auth' && w.role === 'service')?.env).toMatchObject({ NODE_ENV: 'production', ADMIN_EMAIL: expect.any(String) });
    // Offer codes the bridge signs are checked by order with the same key.
    const offerKey = (app: string) => workloads.find((w) => w.app === app && w.role === 'service')?.env.OFFER_SIGNING_KEY;
    expect(offerKey('chatbot-bridge')).toBeTruthy();
    expect(offerKey('order')).toBe(offerKey('chatbot-bridge'));
    expectAllStart(workloads);
  });

  it('and with deploy/compose/stripe-mock.env (payment on stripe-mock)', () => {
    const workloads = composeWorkloads(readEnvFile(join(ROOT, 'deploy', 'compose', 'stripe-mock.env')));
    expect(workloads.find((w) => w.app === 'payment' && w.role === 'service')?.env).toMatchObject({ STRIPE_API_HOST: 'stripe-mock' });
    expectAllStart(workloads);
  });

  it('would have caught the admin password the policy refuses (issue 12)', () => {
    const workloads = composeWorkloads({ ADMIN_PASSWORD: 'change-me-local-admin' });
    expect(workloads.flatMap(problems).join('\n')).toMatch(/compose auth \(auth, service\): ADMIN_PASSWORD: .*not contain the email address/);
  });
});

describe('the Helm chart', () => {
  let helm: string;
  beforeAll(() => {
    helm = helmBinary();
  }, 15 * 60_000); // the first run on a machine builds helm (scripts/helm.sh)

  // Plausible values for the secrets a service must be given (requiredSecretEnv in values.yaml).
  const EXAMPLES: Record<string, (service: string) => string> = {
    DATABASE_URL: (s) => `postgresql://${s}:secret@postgres:5432/shop_${s}`,
    SMTP_URL: () => 'smtp://mailer:secret@mail.example.com:587',
    MONGO_URL: (s) => `mongodb://${s}:secret@mongo:27017/shop_${s.replace(/-/g, '_')}`,
  };

  /** What an operator must give: for every service, the secrets values.yaml marks required. */
  function requiredValues(): object {
    const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as { services: Record<string, { requiredSecretEnv?: string[]; enabled?: boolean }> };
    const services: Record<string, { secretEnv: Record<string, string> }> = {};
    for (const [name, svc] of Object.entries(values.services)) {
      if (svc?.enabled === false) continue;
      const secretEnv: Record<string, string> = {};
      for (const key of svc?.requiredSecretEnv ?? []) {
        const example = EXAMPLES[key];
        if (!example) throw new Error(`services.${name}.requiredSecretEnv has ${key}: add an example value for it to this test`);
        secretEnv[key] = example(name);
      }
      services[name] = { secretEnv };
    }
    return {
      kafka: { brokers: 'kafka-0.kafka:9092,kafka-1.kafka:9092' },
      redis: { url: 'redis://redis-master:6379' },
      secretSeed: 'deploy-test-seed-not-a-real-secret-0001',
      services,
    };
  }

  it('gives every Deployment and Job an environment its service accepts (minimal values)', () => {
    const workloads = helmWorkloads(parseManifests(helmTemplate(helm, [requiredValues()])));
    expect(workloads.map((w) => w.app)).toEqual(expect.arrayContaining(['gateway', 'auth', 'user', 'product', 'inventory', 'order', 'payment', 'review', 'chatbot-bridge']));
    expect(workloads.filter((w) => w.role === 'migrate').length).toBeGreaterThanOrEqual(6);
    expectAllStart(workloads);
  });

  it('and with Elasticsearch, the reindex hook and Stripe keys', () => {
    const extra = {
      elasticsearch: { url: 'http://elasticsearch-master.search:9200' },
      productReindex: { onUpgrade: true },
      payment: { stripe: { secretKey: 'sk_test_deploy_test', webhookSecret: 'whsec_deploy_test' } },
    };
    const workloads = helmWorkloads(parseManifests(helmTemplate(helm, [requiredValues(), extra])));
    expect(workloads.some((w) => w.role === 'reindex')).toBe(true);
    expect(workloads.find((w) => w.app === 'payment' && w.role === 'service')?.env).toMatchObject({ STRIPE_SECRET_KEY: 'sk_test_deploy_test' });
    expectAllStart(workloads);
  });

  it('and with Kafka SASL over TLS with a client certificate, Elasticsearch with an API key and a CA, Redis over TLS and a Postgres CA (issue 12)', () => {
    const extra = {
      kafka: { tls: { existingSecret: 'shop-kafka-tls', certKey: 'user.crt', keyKey: 'user.key' }, sasl: { mechanism: 'scram-sha-512', existingSecret: 'shop-kafka-user' } },
      redis: { url: 'rediss://redis-master:6380', tls: { existingSecret: 'shop-redis-ca' } },
      elasticsearch: { url: 'https://search.example.com:9243', auth: { existingSecret: 'shop-es', apiKeyKey: 'api-key' }, tls: { existingSecret: 'shop-es-ca' } },
      postgres: { tls: { existingSecret: 'shop-postgres-ca' } },
      productReindex: { onUpgrade: true },
    };
    // The Secrets an operator manages (never rendered by the chart), as stand-ins.
    const secret = (name: string, data: Record<string, string>) => ({
      kind: 'Secret',
      metadata: { name },
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    });
    const rendered = parseManifests(helmTemplate(helm, [requiredValues(), extra]));
    const workloads = helmWorkloads([...rendered, secret('shop-kafka-user', { username: 'shop', password: 'kafka-secret' }), secret('shop-es', { 'api-key': 'ZXM6a2V5' })] as typeof rendered);
    const product = workloads.find((w) => w.app === 'product' && w.role === 'service');
    expect(product?.env).toMatchObject({
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: '/etc/shop/tls/kafka/ca.crt',
      KAFKA_SSL_CERT_FILE: '/etc/shop/tls/kafka/user.crt',
      KAFKA_SSL_KEY_FILE: '/etc/shop/tls/kafka/user.key',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'shop',
      KAFKA_SASL_PASSWORD: 'kafka-secret',
      ELASTICSEARCH_API_KEY: 'ZXM6a2V5',
      ELASTICSEARCH_CA_FILE: '/etc/shop/tls/elasticsearch/ca.crt',
      REDIS_URL: 'rediss://redis-master:6380',
      REDIS_TLS_CA_FILE: '/etc/shop/tls/redis/ca.crt',
    });
    expect(workloads.find((w) => w.app === 'gateway')?.env).toMatchObject({ REDIS_TLS_CA_FILE: '/etc/shop/tls/redis/ca.crt', KAFKA_SASL_MECHANISM: 'scram-sha-512' });
    expect(workloads.find((w) => w.app === 'user' && w.role === 'service')?.env.ELASTICSEARCH_API_KEY).toBeUndefined();
    // Each file named is mounted from its Secret in every pod that reads it.
    for (const o of rendered.filter((x) => x.kind === 'Deployment' || x.kind === 'Job')) {
      const pod = o.spec.template.spec as { containers: Array<{ volumeMounts?: Array<{ name: string; mountPath: string }> }>; volumes?: Array<{ name: string; secret?: { secretName: string } }> };
      const mounts = Object.fromEntries((pod.containers[0]!.volumeMounts ?? []).map((m) => [m.mountPath, pod.volumes?.find((v) => v.name === m.name)?.secret?.secretName]));
      expect(mounts['/etc/shop/tls/postgres']).toBe('shop-postgres-ca');
      const workload = workloads.find((w) => w.source.includes(`${o.kind}/${o.metadata.name} `));
      for (const [variable, mount, secretName] of [['KAFKA_SSL_CA_FILE', '/etc/shop/tls/kafka', 'shop-kafka-tls'], ['REDIS_TLS_CA_FILE', '/etc/shop/tls/redis', 'shop-redis-ca'], ['ELASTICSEARCH_CA_FILE', '/etc/shop/tls/elasticsearch', 'shop-es-ca']] as const) {
        if (workload?.env[variable]) expect([o.metadata.name, variable, mounts[mount]]).toEqual([o.metadata.name, variable, secretName]);
      }
    }
    expectAllStart(workloads);
  });

  it('generates first admin passwords that the policy accepts, the same on every render of the same values', () => {
    const adminPassword = (seed: string) => {
      const text = helmTemplate(helm, [requiredValues(), { secretSeed: seed }], ['--show-only', 'templates/secret.yaml']);
      const auth = parseManifests(text).find((o) => o.kind === 'Secret' && o.metadata.labels?.['app.kubernetes.io/component'] === 'auth');
      return Buffer.from(auth?.data?.ADMIN_PASSWORD ?? '', 'base64').toString('utf8');
    };
    const seeds = ['a-seed-of-sixteen+', 'another-seed-0123456789', 'admin-admin-admin-admin', '0000000000000000'];
    const passwords = seeds.map((s) => adminPassword(s));
    for (const password of passwords) expect(() => assertPasswordPolicy(password, 'admin@example.com')).not.toThrow();
    expect(new Set(passwords).size).toBe(seeds.length);
    expect(adminPassword(seeds[0]!)).toBe(passwords[0]);
  });

  describe('OFFER_SIGNING_KEY (sharedSecrets): chatbot-bridge signs offer codes, order checks them', () => {
    /** The OFFER_SIGNING_KEY each service's Deployment gets, by app. */
    const offerKeys = (values: object[]): Record<string, string | undefined> => {
      const workloads = helmWorkloads(parseManifests(helmTemplate(helm, [requiredValues(), ...values])));
      expectAllStart(workloads);
      const services = workloads.filter((w) => w.role === 'service');
      return Object.fromEntries(services.map((w) => [w.app, w.env.OFFER_SIGNING_KEY]));
    };

    it('is the same derived key in order and chatbot-bridge, and the same on every render of the same values', () => {
      const first = offerKeys([]);
      expect(first.order).toMatch(/^Sh~/);
      expect(first.order!.length).toBeGreaterThanOrEqual(32);
      expect(first['chatbot-bridge']).toBe(first.order);
      // Only the services that list it in sharedSecretEnv get it.
      expect(first.gateway).toBeUndefined();
      expect(first.product).toBeUndefined();
      expect(offerKeys([])).toEqual(first);
      // Derived from the seed (not from the service): another seed, another key, still one for both.
      const other = offerKeys([{ secretSeed: 'another-deploy-test-seed-0002' }]);
      expect(other.order).not.toBe(first.order);
      expect(other['chatbot-bridge']).toBe(other.order);
    });

    it('is the value given, in both', () => {
      const key = 'given-offer-signing-key-0123456789abcdef';
      expect(offerKeys([{ sharedSecrets: { OFFER_SIGNING_KEY: { value: key } } }])).toMatchObject({ order: key, 'chatbot-bridge': key });
    });

    it('comes from the one existingSecret when set, in both', () => {
      const objects = parseManifests(
        helmTemplate(helm, [requiredValues(), { sharedSecrets: { OFFER_SIGNING_KEY: { existingSecret: 'shop-offer-signing', existingSecretKey: 'offer-key' } } }]),
      );
      expect(objects.some((o) => o.kind === 'Secret' && o.data?.OFFER_SIGNING_KEY !== undefined)).toBe(false);
      const refs = objects
        .filter((o) => o.kind === 'Deployment')
        .flatMap((o) => (o.spec.template.spec.containers[0].env ?? []).filter((e: { name: string }) => e.name === 'OFFER_SIGNING_KEY').map((e: object) => [o.metadata.name, e]));
      expect(Object.fromEntries(refs)).toEqual({
        'shop-order': { name: 'OFFER_SIGNING_KEY', valueFrom: { secretKeyRef: { name: 'shop-offer-signing', key: 'offer-key' } } },
        'shop-chatbot-bridge': { name: 'OFFER_SIGNING_KEY', valueFrom: { secretKeyRef: { name: 'shop-offer-signing', key: 'offer-key' } } },
      });
    });
  });
});
