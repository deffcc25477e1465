import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the test servers come from:
 * - `environment`: every endpoint is given (TEST_POSTGRES_URL, TEST_REDIS_URL, ...): nothing is started;
 * - `testcontainers`: a Docker engine answers (Docker Desktop on macOS and Windows, Docker or Podman
 *   on Linux): the servers run in throwaway containers (`@testcontainers/*`), removed after the run;
 * - `scripts`: scripts/infra/up.sh installs (Debian packages, Maven Central, the Go module proxy),
 *   caches and starts them on loopback: Linux without Docker, as in CI here.
 */
export type InfraSource = 'environment' | 'testcontainers' | 'scripts';

export interface InfraChoiceInput {
  /** Every endpoint given in the environment. */
  allGiven: boolean;
  /** SHOP_TEST_INFRA: `testcontainers` or `scripts` to force one (`auto`, or unset: choose). */
  forced?: string;
  /** Does a Docker engine answer? Asked only when the choice depends on it. */
  dockerAnswers: () => Promise<boolean>;
  platform: NodeJS.Platform;
}

export interface InfraChoice {
  source: InfraSource;
  why: string;
}

/** The choice between the environment, testcontainers and the local scripts; the Docker probe is injected. */
export async function chooseInfraSource(input: InfraChoiceInput): Promise<InfraChoice> {
  if (input.allGiven) return { source: 'environment', why: 'every endpoint is given in the environment' };
  const forced = (input.forced ?? '').trim().toLowerCase();
  if (forced === 'scripts') return { source: 'scripts', why: 'SHOP_TEST_INFRA=scripts' };
  if (forced === 'testcontainers') {
    if (await input.dockerAnswers()) return { source: 'testcontainers', why: 'SHOP_TEST_INFRA=testcontainers' };
    throw new Error('SHOP_TEST_INFRA=testcontainers, but no Docker engine answers (start Docker Desktop, or set DOCKER_HOST)');
  }
  if (forced !== '' && forced !== 'auto') throw new Error(`SHOP_TEST_INFRA=${input.forced}: use testcontainers, scripts or auto`);
  if (await input.dockerAnswers()) return { source: 'testcontainers', why: 'a Docker engine answers' };
  if (input.platform !== 'linux') {
    throw new Error(
      `no Docker engine answers and scripts/infra/up.sh needs Linux (Debian packages); on ${input.platform} start Docker Desktop ` +
        '(the tests then take their servers from testcontainers), or give every TEST_*_URL',
    );
  }
  return { source: 'scripts', why: 'no Docker engine answers: scripts/infra/up.sh starts the servers' };
}

/** Where a Docker engine may listen: DOCKER_HOST, else the usual sockets (Linux, Docker Desktop on macOS, Windows' pipe). */
export function dockerEndpoints(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Array<{ socketPath?: string; host?: string; port?: number }> {
  const host = env.DOCKER_HOST;
  if (host) {
    if (host.startsWith('unix://')) return [{ socketPath: host.slice('unix://'.length) }];
    if (host.startsWith('npipe://')) return [{ socketPath: host.slice('npipe://'.length).replace(/\//g, '\\') }];
    if (host.startsWith('tcp://')) {
      const url = new URL(host.replace('tcp://', 'http://'));
      return [{ host: url.hostname, port: Number(url.port || 2375) }];
    }
  }
  if (platform === 'win32') return [{ socketPath: '\\\\.\\pipe\\docker_engine' }];
  return ['/var/run/docker.sock', join(homedir(), '.docker/run/docker.sock'), join(homedir(), '.docker/desktop/docker.sock'), `/run/user/${process.getuid?.() ?? 0}/docker.sock`]
    .filter((path) => existsSync(path))
    .map((socketPath) => ({ socketPath }));
}

/** GET /_ping on each endpoint in turn: true when an engine answers OK within `timeoutMs`. */
export async function dockerEngineAnswers(endpoints = dockerEndpoints(), timeoutMs = 1500): Promise<boolean> {
  for (const endpoint of endpoints) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = request({ ...endpoint, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
      req.end();
    });
    if (ok) return true;
  }
  return false;
}
