import { dropPlatformStores, repoRoot, testInfra, uniqueName } from '@shop/testing';
import { type Platform, startPlatform } from '../../../scripts/platform/platform';

export interface Harness {
  platform: Platform;
  api: (ip?: string) => Api;
  logs: string[];
  dropDatabases(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are JSON the tests assert on
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
  ms: number;
}

export type Api = (method: string, path: string, options?: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string }) => Promise<ApiResponse>;

/** Starts the built platform (every service as its own process) against the test servers. */
export async function startHarness(options: { kafka: boolean; redis: boolean; elasticsearch?: boolean; env?: Record<string, string> }): Promise<Harness> {
  const infra = testInfra();
  const prefix = uniqueName('e2e');
  const logs: string[] = [];
  const platform = await startPlatform({
    root: repoRoot(),
    gatewayPort: 0,
    databaseUrl: infra.postgresUrl,
    databasePrefix: prefix,
    kafkaBrokers: options.kafka ? infra.kafkaBrokers : undefined,
    redisUrl: options.redis ? infra.redisUrl : undefined,
    elasticsearchUrl: options.elasticsearch ? infra.elasticsearchUrl : undefined,
    // The test MongoDB (FerretDB here): each run's services get databases named after its prefix.
    mongoUrl: infra.mongoUrl,
    temporaryData: true,
    supervise: false,
    output: (service, line) => logs.push(`${service}: ${line}`),
    log: (message) => logs.push(`platform: ${message}`),
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      BCRYPT_COST: '4',
      TRUST_PROXY: 'true',
      EVENT_GROUP_PREFIX: `${prefix}.`,
      // Own topics too: other runs' events on the shared test broker are never replayed into this one.
      EVENT_TOPIC_PREFIX: `${prefix}.`,
      ELASTICSEARCH_INDEX: prefix.replace(/_/g, '-'),
      ...options.env,
    },
  });
  const api =
    (ip = '203.0.113.1'): Api =>
    async (method, path, { body, token, headers = {}, raw } = {}) => {
      const started = performance.now();
      const response = await fetch(`${platform.gatewayUrl}${path}`, {
        method,
        headers: {
          'x-forwarded-for': ip,
          ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON
      }
      return { status: response.status, body: parsed, headers: response.headers, ms: performance.now() - started };
    };
  return {
    platform,
    api,
    logs,
    dropDatabases: () => dropPlatformStores(Object.values(platform.databaseUrls), infra.postgresUrl, infra.mongoUrl, prefix),
  };
}

