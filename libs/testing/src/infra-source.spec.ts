import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseInfraSource, dockerEndpoints, dockerEngineAnswers } from './infra-source';
import { provideTestInfra, type TestInfra } from './infra';

const answers = (value: boolean) => {
  const probe = jest.fn(async () => value);
  return probe;
};

describe('chooseInfraSource', () => {
  it('takes the environment when every endpoint is given, without asking Docker', async () => {
    const probe = answers(true);
    expect(await chooseInfraSource({ allGiven: true, dockerAnswers: probe, platform: 'darwin' })).toMatchObject({ source: 'environment' });
    expect(probe).not.toHaveBeenCalled();
  });

  it('takes testcontainers when a Docker engine answers, on any platform', async () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(await chooseInfraSource({ allGiven: false, dockerAnswers: answers(true), platform })).toEqual({ source: 'testcontainers', why: 'a Docker engine answers' });
    }
  });

  it('takes the local scripts on Linux without Docker (CI here)', async () => {
    expect(await chooseInfraSource({ allGiven: false, dockerAnswers: answers(false), platform: 'linux' })).toMatchObject({ source: 'scripts' });
  });

  it('says to start Docker Desktop on macOS and Windows without an engine', async () => {
    await expect(chooseInfraSource({ allGiven: false, dockerAnswers: answers(false), platform: 'darwin' })).rejects.toThrow(/start Docker Desktop/);
    await expect(chooseInfraSource({ allGiven: false, dockerAnswers: answers(false), platform: 'win32' })).rejects.toThrow(/start Docker Desktop/);
  });

  it('obeys SHOP_TEST_INFRA', async () => {
    const probe = answers(true);
    expect(await chooseInfraSource({ allGiven: false, forced: 'scripts', dockerAnswers: probe, platform: 'linux' })).toMatchObject({ source: 'scripts' });
    expect(probe).not.toHaveBeenCalled();
    expect(await chooseInfraSource({ allGiven: false, forced: 'TestContainers', dockerAnswers: answers(true), platform: 'linux' })).toMatchObject({ source: 'testcontainers' });
    await expect(chooseInfraSource({ allGiven: false, forced: 'testcontainers', dockerAnswers: answers(false), platform: 'linux' })).rejects.toThrow(/no Docker engine answers/);
    expect(await chooseInfraSource({ allGiven: false, forced: 'auto', dockerAnswers: answers(false), platform: 'linux' })).toMatchObject({ source: 'scripts' });
    await expect(chooseInfraSource({ allGiven: false, forced: 'docker', dockerAnswers: answers(true), platform: 'linux' })).rejects.toThrow(/use testcontainers, scripts or auto/);
  });
});

describe('dockerEndpoints', () => {
  it('reads DOCKER_HOST (unix, tcp, npipe), else the usual sockets', () => {
    expect(dockerEndpoints({ DOCKER_HOST: 'unix:///run/user/1000/podman/podman.sock' }, 'linux')).toEqual([{ socketPath: '/run/user/1000/podman/podman.sock' }]);
    expect(dockerEndpoints({ DOCKER_HOST: 'tcp://10.0.0.5:2376' }, 'linux')).toEqual([{ host: '10.0.0.5', port: 2376 }]);
    expect(dockerEndpoints({ DOCKER_HOST: 'npipe:////./pipe/docker_engine' }, 'win32')).toEqual([{ socketPath: '\\\\.\\pipe\\docker_engine' }]);
    expect(dockerEndpoints({}, 'win32')).toEqual([{ socketPath: '\\\\.\\pipe\\docker_engine' }]);
  });
});

describe('dockerEngineAnswers', () => {
  let server: Server;
  let socketPath: string;
  beforeAll(async () => {
    socketPath = join(mkdtempSync(join(tmpdir(), 'docker-ping-')), 'docker.sock');
    server = createServer((req, res) => {
      res.writeHead(req.url === '/_ping' ? 200 : 404);
      res.end('OK');
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is true when GET /_ping answers 200, false when nothing listens', async () => {
    expect(await dockerEngineAnswers([{ socketPath: join(tmpdir(), 'no-such-docker.sock') }, { socketPath }])).toBe(true);
    expect(await dockerEngineAnswers([{ socketPath: join(tmpdir(), 'no-such-docker.sock') }])).toBe(false);
    expect(await dockerEngineAnswers([])).toBe(false);
  });
});

describe('provideTestInfra', () => {
  const KEYS = ['TEST_POSTGRES_URL', 'POSTGRES_URL', 'TEST_REDIS_URL', 'REDIS_URL', 'TEST_KAFKA_BROKERS', 'KAFKA_BROKERS', 'TEST_ELASTICSEARCH_URL', 'ELASTICSEARCH_URL',
    'TEST_MAILPIT_URL', 'MAILPIT_URL', 'TEST_MAILPIT_SMTP_URL', 'MAILPIT_SMTP_URL', 'TEST_MONGO_URL', 'MONGO_URL', 'SHOP_TEST_INFRA'];
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const key of KEYS) {
      saved[key] = process.env[key];
      delete process.env[key];
    }
  });
  afterEach(() => {
    for (const key of KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });
  const infra: TestInfra = {
    postgresUrl: 'postgres://c', redisUrl: 'redis://c', kafkaBrokers: 'c:9093', elasticsearchUrl: 'http://c:9200', mailpitUrl: 'http://c:8025', mailpitSmtpUrl: 'smtp://c:1025', mongoUrl: 'mongodb://c/',
  };
  const quiet = () => undefined;

  it('starts containers when Docker answers, passing on what the environment gave', async () => {
    process.env.TEST_MONGO_URL = 'mongodb://given/';
    const startContainers = jest.fn(async (given: Partial<TestInfra>) => ({ ...infra, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v)) }) as TestInfra);
    const runScripts = jest.fn(() => infra);
    const result = await provideTestInfra({ dockerAnswers: async () => true, startContainers, runScripts, log: quiet });
    expect(result).toMatchObject({ source: 'testcontainers', mongoUrl: 'mongodb://given/', postgresUrl: 'postgres://c' });
    expect(startContainers).toHaveBeenCalledWith(expect.objectContaining({ mongoUrl: 'mongodb://given/', postgresUrl: undefined }));
    expect(runScripts).not.toHaveBeenCalled();
  });

  it('runs the local scripts without Docker', async () => {
    const startContainers = jest.fn(async () => infra);
    const result = await provideTestInfra({ dockerAnswers: async () => false, startContainers, runScripts: () => ({ ...infra, postgresUrl: 'postgres://script' }), log: quiet });
    if (process.platform === 'linux') expect(result).toMatchObject({ source: 'scripts', postgresUrl: 'postgres://script' });
    expect(startContainers).not.toHaveBeenCalled();
  });

  it('starts nothing when every endpoint is given', async () => {
    Object.assign(process.env, { TEST_POSTGRES_URL: 'postgres://e', TEST_REDIS_URL: 'redis://e', TEST_KAFKA_BROKERS: 'e:1', TEST_ELASTICSEARCH_URL: 'http://e', TEST_MAILPIT_URL: 'http://e', TEST_MAILPIT_SMTP_URL: 'smtp://e', TEST_MONGO_URL: 'mongodb://e/' });
    const dockerAnswers = jest.fn(async () => true);
    const result = await provideTestInfra({ dockerAnswers, startContainers: jest.fn(), runScripts: jest.fn(), log: quiet });
    expect(result).toMatchObject({ source: 'environment', postgresUrl: 'postgres://e' });
    expect(dockerAnswers).not.toHaveBeenCalled();
  });
});
