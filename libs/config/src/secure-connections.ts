import { readFileSync } from 'node:fs';
import type { ElasticsearchAuthConfig } from './schemas';

/** Reads a file named by a variable; injected in tests. */
export type ReadFile = (path: string) => string;

const readUtf8: ReadFile = (path) => readFileSync(path, 'utf8');

/**
 * The PEM text of the file `variable` names, read at start: a missing, unreadable or non-PEM file
 * stops the service with a message naming the variable (the schema cannot check files: the same
 * environment is validated where they are not mounted).
 */
export function readPemFile(variable: string, path: string, read: ReadFile = readUtf8): string {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    throw new Error(`${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (!text.includes('-----BEGIN ')) throw new Error(`${variable}: ${path} is not a PEM file (no -----BEGIN line)`);
  return text;
}

/** ioredis options for REDIS_URL: a `rediss://` URL turns TLS on by itself; REDIS_TLS_CA_FILE adds the CA that verifies the server. */
export function redisTlsOptions(config: { REDIS_TLS_CA_FILE?: string }, read?: ReadFile): { tls?: { ca: string } } {
  if (!config.REDIS_TLS_CA_FILE) return {};
  return { tls: { ca: readPemFile('REDIS_TLS_CA_FILE', config.REDIS_TLS_CA_FILE, read) } };
}

export type ElasticsearchAuth = { apiKey: string } | { username: string; password: string };

/** The Elasticsearch client's `auth` and `tls` options from ELASTICSEARCH_API_KEY or _USERNAME/_PASSWORD and ELASTICSEARCH_CA_FILE. */
export function elasticsearchConnection(config: ElasticsearchAuthConfig, read?: ReadFile): { auth?: ElasticsearchAuth; tls?: { ca: string } } {
  const connection: { auth?: ElasticsearchAuth; tls?: { ca: string } } = {};
  if (config.ELASTICSEARCH_API_KEY) connection.auth = { apiKey: config.ELASTICSEARCH_API_KEY };
  else if (config.ELASTICSEARCH_USERNAME && config.ELASTICSEARCH_PASSWORD) {
    connection.auth = { username: config.ELASTICSEARCH_USERNAME, password: config.ELASTICSEARCH_PASSWORD };
  }
  if (config.ELASTICSEARCH_CA_FILE) connection.tls = { ca: readPemFile('ELASTICSEARCH_CA_FILE', config.ELASTICSEARCH_CA_FILE, read) };
  return connection;
}
