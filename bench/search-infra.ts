// The servers the search benchmark runs against: a real Postgres and Elasticsearch, from the
// environment, else from what scripts/infra/up.sh started (running it if they are not up); and the
// stack's floor it compares the platform with.
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { databaseName, withDatabase } from '@shop/persistence';
import { infraEndpointsFile, readInfraEndpoints } from '@shop/testing';
import { Client } from 'pg';
import { freePort } from '../scripts/platform/platform';

export interface SearchBenchInfra {
  postgresUrl: string;
  elasticsearchUrl: string;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

export async function searchBenchInfra(root: string, log: (message: string) => void): Promise<SearchBenchInfra> {
  const fromEnvironment = {
    postgresUrl: process.env.DATABASE_URL || process.env.POSTGRES_URL,
    elasticsearchUrl: process.env.ELASTICSEARCH_URL,
  };
  let endpoints = readInfraEndpoints();
  const pick = () => ({
    postgresUrl: fromEnvironment.postgresUrl ?? endpoints.POSTGRES_URL,
    elasticsearchUrl: fromEnvironment.elasticsearchUrl ?? endpoints.ELASTICSEARCH_URL,
  });
  let infra = pick();
  if (!infra.postgresUrl || !infra.elasticsearchUrl || !(await answers(`${infra.elasticsearchUrl}/_cluster/health`))) {
    log('starting Postgres and Elasticsearch with scripts/infra/up.sh…');
    const up = spawnSync('bash', [join(root, 'scripts/infra/up.sh'), 'postgres', 'elasticsearch'], { stdio: 'inherit' });
    if (up.status !== 0) throw new Error(`scripts/infra/up.sh failed (exit ${up.status})`);
    endpoints = readInfraEndpoints();
    infra = pick();
  }
  if (!infra.postgresUrl || !infra.elasticsearchUrl) throw new Error(`no Postgres or Elasticsearch endpoint in the environment or ${infraEndpointsFile()}`);
  return { postgresUrl: infra.postgresUrl, elasticsearchUrl: infra.elasticsearchUrl.replace(/\/+$/, '') };
}

async function elasticsearch(url: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  const body = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status} ${body.slice(0, 300)}`);
  return JSON.parse(body);
}

/** A search at `url` (`<node>/<index>/_search`, with any URL parameters). */
export function searchElasticsearch(url: string, body: unknown): Promise<unknown> {
  return elasticsearch(url, { method: 'POST', body: JSON.stringify(body) });
}

/** Live products in the index: removed ones and drafts stay behind as versioned tombstones, which do not count. */
export async function countLiveDocuments(es: string, index: string): Promise<number> {
  try {
    const answer = (await elasticsearch(`${es}/${index}/_count`, {
      method: 'POST',
      body: JSON.stringify({ query: { bool: { must_not: [{ term: { deleted: true } }] } } }),
    })) as { count: number };
    return answer.count;
  } catch (error) {
    if (/HTTP 404/.test((error as Error).message)) return 0;
    throw error;
  }
}

/** Deletes the indices behind an alias by name (wildcard deletes are refused on most clusters). */
export async function deleteIndexAlias(es: string, alias: string): Promise<void> {
  let indices: string[] = [];
  try {
    indices = Object.keys((await elasticsearch(`${es}/_alias/${alias}`)) as Record<string, unknown>);
  } catch (error) {
    if (!/HTTP 404/.test((error as Error).message)) throw error;
  }
  for (const index of indices) await elasticsearch(`${es}/${index}`, { method: 'DELETE' });
}

export async function dropDatabases(urls: string[]): Promise<void> {
  if (urls.length === 0) return;
  const admin = new Client({ connectionString: withDatabase(urls[0]!, 'postgres') });
  await admin.connect();
  try {
    for (const url of urls) await admin.query(`DROP DATABASE IF EXISTS "${databaseName(url).replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** The stack's floor (search-floor-server.ts): a bare gateway and product service in processes of their own. */
export interface SearchFloor {
  url: string;
  /** Their names ("floor: gateway", "floor: product") to pids, for the CPU tables. */
  pids: Map<string, number>;
  stop: () => void;
}

export async function startSearchFloor(elasticsearchUrl: string, index: string, categoryIds: Map<string, string>): Promise<SearchFloor> {
  const server = resolve(__dirname, 'search-floor-server.js');
  const started: ChildProcess[] = [];
  const start = async (args: string[]) => {
    const child = fork(server, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    started.push(child);
    await new Promise<void>((ready, fail) => {
      child.once('message', () => ready());
      child.once('exit', (code) => fail(new Error(`the search floor's ${args[0]} exited (${code}) before it was ready`)));
    });
    return child.pid!;
  };
  const stop = () => started.forEach((child) => child.kill());
  try {
    const productPort = await freePort();
    const gatewayPort = await freePort();
    const product = await start(['product', String(productPort), elasticsearchUrl, index, JSON.stringify(Object.fromEntries(categoryIds))]);
    const gateway = await start(['gateway', String(gatewayPort), `127.0.0.1:${productPort}`]);
    return { url: `http://127.0.0.1:${gatewayPort}`, pids: new Map([['floor: gateway', gateway], ['floor: product', product]]), stop };
  } catch (error) {
    stop();
    throw error;
  }
}
