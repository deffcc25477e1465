import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestCertificates } from './tls';

/**
 * Second instances of the test servers, secured, on loopback, for the tests of the clients' TLS and
 * authentication settings: Redis with TLS only, a Postgres cluster with ssl=on that refuses plain
 * connections, a Kafka broker with SASL (PLAIN, SCRAM-SHA-256/512) over TLS, SASL over plain TCP and
 * TLS with client certificates, and an https front for the test Elasticsearch that wants an API key
 * or a user (its Maven Central build has no security module, so it cannot do TLS itself).
 * Each is started by the test and stopped by it; nothing is left behind.
 */
export interface SecureServer {
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, probe: () => boolean | Promise<boolean>, child: ChildProcess | undefined, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}) while starting:\n${log()}`);
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not start within ${timeoutMs} ms:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function portOpen(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => (clearTimeout(timer), resolve()));
    child.kill('SIGTERM');
  });
}

function captured(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer) => void (text = (text + chunk.toString()).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text;
}

// ------------------------------------------------------------------ Redis --

/** redis-server (Debian's is built with TLS) listening with TLS only; `rediss://127.0.0.1:<port>`. */
export async function startTlsRedis(certs: TestCertificates): Promise<SecureServer & { url: string }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'shop-redis-tls-'));
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', '0', '--tls-port', String(port), '--tls-cert-file', certs.serverCertFile, '--tls-key-file', certs.serverKeyFile,
      '--tls-ca-cert-file', certs.caFile, '--tls-auth-clients', 'no', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = captured(child);
  await waitFor('redis-server with TLS', () => portOpen(port), child, 15_000, log);
  return {
    url: `rediss://127.0.0.1:${port}`,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// --------------------------------------------------------------- Postgres --

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin/postgres'))) : [];
  if (versions.length === 0) throw new Error('no Postgres binaries under /usr/lib/postgresql (scripts/infra/up.sh installs them)');
  return join(root, versions.sort((a, b) => Number(b) - Number(a))[0]!, 'bin');
}

/** Runs as the `postgres` OS user when root (Postgres refuses root). */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/**
 * A throwaway Postgres cluster with ssl=on whose pg_hba.conf takes only TLS connections
 * (`hostssl`; plain TCP is rejected), user postgres / password postgres.
 */
export async function startTlsPostgres(certs: TestCertificates): Promise<SecureServer & { url: string; port: number }> {
  const bin = postgresBin();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'shop-pg-tls-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  const root = process.getuid?.() === 0;
  if (root) execFileSync('chown', ['postgres:', dir]);
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, 'postgres\n');
  if (root) execFileSync('chown', ['postgres:', pwfile]);
  const [initdb, initArgs] = asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '--locale=C.UTF-8']);
  execFileSync(initdb, initArgs, { cwd: '/', stdio: ['ignore', 'ignore', 'pipe'] });
  // Postgres wants its key owned by itself and private.
  for (const [from, to] of [[certs.serverCertFile, 'server.crt'], [certs.serverKeyFile, 'server.key'], [certs.caFile, 'ca.crt']] as const) {
    copyFileSync(from, join(data, to));
    if (root) execFileSync('chown', ['postgres:', join(data, to)]);
  }
  chmodSync(join(data, 'server.key'), 0o600);
  writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 127.0.0.1/32 reject\n');
  const args = ['-D', data, '-k', dir, '-h', '127.0.0.1', '-p', String(port), '-c', 'ssl=on', '-c', 'ssl_cert_file=server.crt', '-c', 'ssl_key_file=server.key',
    '-c', 'ssl_ca_file=ca.crt', '-c', 'fsync=off', '-c', 'max_connections=60', '-c', 'shared_buffers=32MB'];
  const [postgres, pgArgs] = asPostgres(join(bin, 'postgres'), args);
  const child = spawn(postgres, pgArgs, { cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
  const log = captured(child);
  await waitFor('Postgres with ssl=on', () => portOpen(port), child, 30_000, log);
  // Accepting connections, not only listening.
  await waitFor('Postgres with ssl=on', () => {
    try {
      const [isready, readyArgs] = asPostgres(join(bin, 'pg_isready'), ['-q', '-h', dir, '-p', String(port)]);
      execFileSync(isready, readyArgs, { cwd: '/', stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }, child, 30_000, log);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ------------------------------------------------------------------ Kafka --

export interface SecureKafka extends SecureServer {
  /** SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) over TLS. */
  saslSslBrokers: string;
  /** SASL over plain TCP. */
  saslPlaintextBrokers: string;
  /** TLS with a client certificate signed by the test CA (no SASL). */
  mtlsBrokers: string;
  username: string;
  password: string;
}

function kafkaLibs(): string {
  const cache = process.env.SHOP_CACHE_DIR ?? join(homedir(), '.cache', 'shop-platform');
  const libs = join(cache, `kafka-${process.env.SHOP_KAFKA_VERSION ?? '3.9.1'}`, 'libs');
  if (!existsSync(join(libs, '.complete'))) throw new Error(`no Kafka jars in ${libs} (scripts/infra/up.sh kafka fetches them)`);
  return libs;
}

/**
 * A single-node KRaft broker (the jars scripts/infra/up.sh fetched) with three secured listeners; its
 * SASL users: PLAIN from the JAAS config, SCRAM ones written into the metadata log by `format --add-scram`.
 */
export async function startSecureKafka(certs: TestCertificates): Promise<SecureKafka> {
  const libs = kafkaLibs();
  const [saslSsl, saslPlain, mtls, internal, controller] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'shop-kafka-secure-'));
  mkdirSync(join(dir, 'data'));
  const username = 'shop';
  const password = 'shop-kafka-secret';
  const jaasPlain = `org.apache.kafka.common.security.plain.PlainLoginModule required user_${username}="${password}";`;
  const jaasScram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  const props = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controller}`,
    `listeners=SASL_SSL://127.0.0.1:${saslSsl},SASL_PLAINTEXT://127.0.0.1:${saslPlain},SSL://127.0.0.1:${mtls},INTERNAL://127.0.0.1:${internal},CONTROLLER://127.0.0.1:${controller}`,
    `advertised.listeners=SASL_SSL://127.0.0.1:${saslSsl},SASL_PLAINTEXT://127.0.0.1:${saslPlain},SSL://127.0.0.1:${mtls},INTERNAL://127.0.0.1:${internal}`,
    'listener.security.protocol.map=SASL_SSL:SASL_SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=INTERNAL',
    'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    ...['sasl_ssl', 'sasl_plaintext'].flatMap((listener) => [
      `listener.name.${listener}.plain.sasl.jaas.config=${jaasPlain}`,
      `listener.name.${listener}.scram-sha-256.sasl.jaas.config=${jaasScram}`,
      `listener.name.${listener}.scram-sha-512.sasl.jaas.config=${jaasScram}`,
    ]),
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${certs.serverKeystoreFile}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${certs.caFile}`,
    'listener.name.ssl.ssl.client.auth=required',
    `log.dirs=${join(dir, 'data')}`,
    'auto.create.topics.enable=true',
    'num.partitions=2',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=4',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'num.network.threads=2',
    'num.io.threads=2',
  ];
  const propsFile = join(dir, 'server.properties');
  writeFileSync(propsFile, `${props.join('\n')}\n`);
  const log4j = join(dir, 'log4j.properties');
  writeFileSync(log4j, 'log4j.rootLogger=WARN, stdout\nlog4j.appender.stdout=org.apache.log4j.ConsoleAppender\nlog4j.appender.stdout.layout=org.apache.log4j.PatternLayout\nlog4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n\n');
  const java = (main: string, args: string[]) => ['-Xmx256m', '-Xms64m', `-Dlog4j.configuration=file:${log4j}`, '-cp', `${libs}/*`, main, ...args];
  execFileSync('java', java('kafka.tools.StorageTool', ['format', '-t', 'c2hvcC1zZWN1cmUta2Fma2E', '-c', propsFile, '--ignore-formatted',
    '--add-scram', `SCRAM-SHA-256=[name=${username},password=${password}]`, '--add-scram', `SCRAM-SHA-512=[name=${username},password=${password}]`]),
  { stdio: ['ignore', 'ignore', 'pipe'] });
  const child = spawn('java', ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', ...java('kafka.Kafka', [propsFile])], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = captured(child);
  await waitFor('Kafka with secured listeners', async () => (await portOpen(saslSsl)) && (await portOpen(mtls)) && (await portOpen(saslPlain)), child, 120_000, log);
  return {
    saslSslBrokers: `127.0.0.1:${saslSsl}`,
    saslPlaintextBrokers: `127.0.0.1:${saslPlain}`,
    mtlsBrokers: `127.0.0.1:${mtls}`,
    username,
    password,
    stop: async () => {
      await stopChild(child, 20_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------- Elasticsearch --

export interface SecureElasticsearch extends SecureServer {
  url: string;
  apiKey: string;
  username: string;
  password: string;
  /** Requests that came with the right credentials (and were passed on), and those refused. */
  counts: { passed: number; refused: number };
}

/**
 * An https endpoint (the test CA's certificate) in front of the test Elasticsearch that passes on
 * requests carrying `Authorization: ApiKey <apiKey>` or Basic `<username>:<password>`, as a secured
 * cluster or Elastic Cloud would take them, and answers 401 like Elasticsearch to anything else.
 */
export async function startSecureElasticsearchFront(certs: TestCertificates, upstream: string): Promise<SecureElasticsearch> {
  const apiKey = Buffer.from('shop-key-id:shop-api-key-secret').toString('base64');
  const username = 'shop';
  const password = 'shop-es-secret';
  const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const counts = { passed: 0, refused: 0 };
  const target = new URL(upstream);
  const { readFileSync } = await import('node:fs');
  const server: Server = createHttpsServer({ cert: readFileSync(certs.serverCertFile), key: readFileSync(certs.serverKeyFile) }, (req, res) => {
    const auth = req.headers.authorization;
    if (auth !== `ApiKey ${apiKey}` && auth !== basic) {
      counts.refused++;
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'ApiKey, Basic realm="security"' });
      res.end(JSON.stringify({ error: { type: 'security_exception', reason: 'missing or wrong credentials' }, status: 401 }));
      return;
    }
    counts.passed++;
    const headers = { ...req.headers, host: target.host };
    delete headers.authorization;
    const forward = httpRequest({ hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', (error) => {
      res.writeHead(502);
      res.end(String(error));
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `https://127.0.0.1:${port}`,
    apiKey,
    username,
    password,
    counts,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
